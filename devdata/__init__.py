"""Development data: the demo and the bench data, and the commands that load them.

- demo: `load_demo()` (`manage.py load_demo`, run once by `make run`): the municipality of seed 000
  with its schools, staff, accounts of every role and the routes behind Table 1, then the parts of
  the other apps below;
- table1: seed 000's Table 1 as data, which demo recreates and the acceptance tests check against;
- demo_audit: seed 001's city (город Минусинск), its cohort counted by the audit to the letter's figures;
- demo_diagnostics, demo_routes, demo_methodics: each app's part of the demo, made through its services
  (demo_methodics: seed 002's project «ИОМ в действии» with the seed's figures);
- generator: the bench data at S/M/L (`manage.py generate_data`, `make bench`).

No production code path imports this package; it is installed only for its management commands,
which refuse to write into a database with DEBUG off (generate_data: unless --force).
"""
