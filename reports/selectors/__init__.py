"""Every figure of docs/spec/reports.md, computed in the database, one definition each; one module
per report, imported by its own name (`from reports.selectors.coverage import coverage_table`):

- common: the staff base, registered people, periods, counting helpers, `Figure`;
- coverage: Table 1 of the analytical report (seed 000) and its texts;
- audit: the internal audit (seed 001);
- implementation: done ÷ all activities of a route, and its buckets;
- project: the express review of a municipal project's routes (seed 002);
- indicators: plan and fact of the indicators (seed 003);
- registry: the registry of ИОМ;
- dashboards: the school, municipality and region dashboards' own figures.
"""
