"""«Рассылки»: the weekly e-mail of what needs a deputy or a methodist in their scope (reviews waiting for them,
expired routes, overdue activities, new results) and the monthly e-mail of the scope's key figures (methodists,
directors), sent by Celery beat through the outbox; each user turns them off on the «Рассылки» page or by the
signed link in every digest (docs/design.md)."""
