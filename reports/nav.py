from core.nav import NavLink

NAV = [
    NavLink("Статистика", "reports:dashboard", ("report.school",)),
    NavLink("Реестр ИОМ", "reports:registry", ("route.view",)),
    NavLink("Отчеты", "reports:index", ("report.school", "route.view")),
]
