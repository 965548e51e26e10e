"""The REST API for integrations (docs/api.md): /api/v1/, Django REST framework + drf-spectacular.

Who a request is
----------------
A request carries `Authorization: Bearer <secret>` of an `api.IntegrationToken`. Each token is
bound to a *service account*: an ordinary `auth.User` with no password and no staff record that
holds normal portal `schools.Membership` rows (role + scope), created with the token. The token
authenticates the request *as that account*, so the API asks exactly what the browser asks:

- reads go through the same scoped selectors (`schools.selectors.organisation_list_for`,
  `routes.selectors.route_list_for`, …) and `schools.access.get_for`: outside the scope → 404,
  seen but not allowed → 403;
- imports run `core.imports.run_import` with that account as the user: the kind's capability, every
  row's scope and the workflow rules are checked by the import engine and the kinds themselves;
- a large file becomes a `core.imports.ImportJob` whose requester is that account, worked off by the
  same Celery task (which re-checks the account's rights: a revoked token's account is switched off).

Why a service account and not a token that carries a role itself: `schools.access` reads rights
only from memberships (`memberships_of(user)`), and the Celery import task reloads its requester
from the database. A role held in memory by the token would be invisible to both, so every check
would need a second path. With memberships in the database nothing in the policy, the selectors,
the import kinds or the task knows about tokens at all.

On top of the role the token lists the capabilities it may use (`IntegrationToken.capabilities`,
a subset of what its role grants, among `api.permissions.API_CAPABILITIES`). Each endpoint names
the capability it exercises (`required_capability` of the view); a token without it gets 403
before the access layer is asked. An import kind that also exercises further capabilities (a
staff file invites staff: staff.invite) needs them on the token too (`api.permissions.ALSO_USES`),
so a token never does, through a kind's rules, what its list does not say.

The cost of real memberships: the rules that ask who holds a role over a route or an organisation
(`routes.selectors.route_reviewers` / `reviews_q`, `schools.access.holders_of`) count the service
account as a person, so a director's or a methodist's token can stand where the review or credit
rule looks for a person (tests/api/test_service_accounts.py, strict xfails until those rules leave
integration accounts out; docs/api.md, «Ограничения»).

Sessions are not accepted on the data endpoints: a token request needs no CSRF token, and a
session request would (and would bypass the token's capability list). The browser has its pages.
"""
