"""The competency profile as a server-side SVG bar chart: geometry here, markup in the template.

No JavaScript and no inline styles (the CSP forbids them): the template draws the shapes
computed here in the portal's one chart style (core.charts), as SVG presentation attributes.
"""

from dataclasses import dataclass, field

from core.charts import STYLE, ChartStyle, ticks
from diagnostics.selectors import ProfileRow

LABEL_WIDTH = 64
BAR_AREA = 420
ROW_HEIGHT = 20
GROUP_HEIGHT = 22
TOP = 24
RIGHT = 40


@dataclass(frozen=True)
class Bar:
    code: str
    title: str
    y: int
    text_y: int
    width: float
    value: int | None
    value_x: float
    threshold_x: float | None
    below: bool


@dataclass(frozen=True)
class GroupLabel:
    name: str
    y: int


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ProfileChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    groups: list[GroupLabel]
    ticks: list[Tick]
    axis_top: int
    axis_bottom: int
    style: ChartStyle = field(default=STYLE)

    @property
    def is_empty(self) -> bool:
        return all(bar.value is None for bar in self.bars)


def _x(value: float) -> float:
    return LABEL_WIDTH + BAR_AREA * value / 100


def profile_chart(rows: list[ProfileRow]) -> ProfileChart:
    bars, groups = [], []
    y = TOP
    current_group = None
    for row in rows:
        if row.competency.group_id != current_group:
            current_group = row.competency.group_id
            groups.append(GroupLabel(name=row.competency.group.name, y=y + 15))
            y += GROUP_HEIGHT
        value = row.value
        bars.append(Bar(
            code=row.competency.code,
            title=f"{row.competency.code} {row.competency.name}: "
                  + (f"{value} из 100, порог {row.threshold}" if value is not None else "не оценивалась"),
            y=y + 3,
            text_y=y + 14,
            width=round(BAR_AREA * (value or 0) / 100, 1),
            value=value,
            value_x=round(_x(value or 0) + 4, 1),
            threshold_x=round(_x(row.threshold), 1) if row.threshold is not None else None,
            below=row.below,
        ))
        y += ROW_HEIGHT
    return ProfileChart(
        width=LABEL_WIDTH + BAR_AREA + RIGHT, height=y + 8, label_width=LABEL_WIDTH, bar_height=ROW_HEIGHT - 6,
        bars=bars, groups=groups, ticks=[Tick(x=round(_x(v), 1), label=str(v)) for v in ticks(20)],
        axis_top=TOP - 6, axis_bottom=y,
    )
