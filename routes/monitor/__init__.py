"""The implementation monitor: every staff member of the scope with their current route's state, progress,
overdue activities, last activity and mentor; totals per state, filters, export, reminders (docs/design.md)."""
