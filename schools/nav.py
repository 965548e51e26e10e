from core.nav import NavLink

NAV = [
    NavLink("Организации", "organisation_list", ("org.view",)),
    NavLink("Загрузка данных", "import_index", ("org.import", "staff.import", "route.import", "diagnostics.import")),
]
