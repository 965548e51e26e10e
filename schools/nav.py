from core.nav import NavLink

NAV = [
    NavLink("Организации", "organisation_list", ("org.view",)),
]
