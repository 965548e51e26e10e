from core.nav import NavLink

# The dashboards and their exports are «Статистика», though their URLs sit under /reports/ like «Отчеты».
DASHBOARDS = ("reports:school", "reports:municipality", "reports:region", "reports:dashboard_export")

NAV = [
    NavLink("Статистика", "reports:dashboard", ("report.school",), sections=DASHBOARDS),
    NavLink("Реестр ИОМ", "reports:registry", ("route.view",)),
    NavLink("Отчеты", "reports:index", ("report.school", "route.view")),
]
