"""The records behind seed 000's Table 1, as data.

Each school: staff base (teachers + deputies), deputies among them, registered teachers and
deputies, routes credited in the first and second year (teachers, deputies), and routes not
credited in the second year. The numbers are the seed's rows; the seed's totals row for the
second year (36 + 1) disagrees with its own rows (35 + 1), and the portal counts the rows.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SchoolRow:
    short_name: str
    full_name: str
    staff_base: int
    deputies: int
    registered_teachers: int
    registered_deputies: int
    credited_first: tuple[int, int]   # (teachers, deputies) in the first academic year
    credited_second: tuple[int, int]  # (teachers, deputies) in the second academic year
    not_credited_second: int = 0      # teachers' routes refused credit in the second year


TABLE1 = [
    SchoolRow("МБОУ Анашенская СОШ №1", "Муниципальное бюджетное общеобразовательное учреждение Анашенская средняя общеобразовательная школа №1", 21, 1, 10, 1, (3, 1), (6, 0), 1),
    SchoolRow("МБОУ Дивненская СОШ №2", "Муниципальное бюджетное общеобразовательное учреждение Дивненская средняя общеобразовательная школа №2", 12, 1, 2, 1, (1, 1), (0, 0)),
    SchoolRow("МБОУ Игрышенская СОШ №3", "Муниципальное бюджетное общеобразовательное учреждение Игрышенская средняя общеобразовательная школа №3", 15, 1, 13, 1, (3, 1), (10, 0)),
    SchoolRow("МБОУ Комская СОШ №4", "Муниципальное бюджетное общеобразовательное учреждение Комская средняя общеобразовательная школа №4", 22, 2, 12, 2, (4, 2), (7, 0)),
    SchoolRow("МБОУ Новоселовская СОШ №5", "Муниципальное бюджетное общеобразовательное учреждение Новоселовская средняя общеобразовательная школа №5", 65, 2, 18, 2, (11, 2), (5, 0)),
    SchoolRow("МБОУ Светлолобовская СОШ №6", "Муниципальное бюджетное общеобразовательное учреждение Светлолобовская средняя общеобразовательная школа №6", 18, 2, 6, 2, (3, 1), (0, 1)),
    SchoolRow("МБОУ Толстомысенская СОШ №7", "Муниципальное бюджетное общеобразовательное учреждение Толстомысенская средняя общеобразовательная школа №7", 24, 1, 8, 1, (3, 1), (4, 0), 1),
    SchoolRow("МБОУ Барайтская СОШ №8", "Муниципальное бюджетное общеобразовательное учреждение Барайтская средняя общеобразовательная школа №8", 16, 1, 8, 1, (6, 1), (2, 0)),
    SchoolRow("МБОУ Легостаевская СОШ №11", "Муниципальное бюджетное общеобразовательное учреждение Легостаевская средняя общеобразовательная школа №11", 20, 2, 7, 2, (4, 1), (1, 0), 2),
]

REGION = "Красноярский край"
MUNICIPALITY = "Новоселовский район"
METHODICAL_CENTRE = "МКУ «Новосёловский ММЦ»"
