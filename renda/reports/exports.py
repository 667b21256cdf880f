"""The report as files: the Excel sheet in seed 001's layout and a Word summary.

Seed 001's table: a title; 填报单位, 填报人, 填报日期 on their own lines; one header row of six
columns; the figures; the notes (备注). A roll-up over several units adds a second sheet with a
row per unit, and every workbook carries the definitions on a third sheet.
"""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from renda.reports import figures as F

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADERS = [f.label for f in F.FIGURES] + [F.TYPICAL_LABEL]
DATA_ROW = 7  # where the figures sit (tests read the sheet back from here)


@dataclass
class Sheet:
    title: str
    month: F.Month
    unit_name: str
    reporter: str
    date: dt.date | None
    figures: dict[str, int]
    typical_cases: list[dict]
    notes: str
    deadline_day: int
    status: str = ""
    # For a roll-up: (unit name, level, status, figures) per unit.
    units: Sequence[tuple[str, str, str, dict]] = field(default_factory=list)


def typical_text(cases: list[dict]) -> str:
    return "\n".join(
        f"{i}. {c['code']} {c['title']}" + (f"：{c['text']}" if c.get("text") else "")
        for i, c in enumerate(cases, start=1)
    )


def _safe(value):
    # A case title such as "=SUM(…)" must stay text in Excel, never become a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def build_xlsx(sheet: Sheet) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "汇总表"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.merge_cells("A1:F1")
    ws["A1"] = sheet.title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 40
    ws.merge_cells("A2:F2")
    ws["A2"] = f"统计月份：{sheet.month.label}" + (f"（{sheet.status}）" if sheet.status else "")
    ws["A2"].alignment = Alignment(horizontal="center")
    for row, (label, value) in enumerate(
        [
            ("填报单位", sheet.unit_name),
            ("填报人", sheet.reporter),
            ("填报日期", f"{sheet.date:%Y年%m月%d日}" if sheet.date else ""),
        ],
        start=3,
    ):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.cell(row=row, column=1, value=_safe(f"{label}：{value}"))
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=6, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        cell.border = border
    ws.row_dimensions[6].height = 60
    values = [int(sheet.figures.get(f.key, 0)) for f in F.FIGURES]
    values.append(_safe(typical_text(sheet.typical_cases)))
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=DATA_ROW, column=col, value=value)
        cell.alignment = wrap if col < 6 else Alignment(wrap_text=True, vertical="top")
        cell.border = border
    notes = [
        "备注：1. 各设县（市、区）人大负责统计汇总所辖乡镇（街道）情况；",
        f"2. 汇总表和典型案例需要于每月 {sheet.deadline_day} 日前发送至市人大办公室。",
    ]
    if sheet.notes:
        notes.append(f"填报说明：{sheet.notes}")
    for i, text in enumerate(notes, start=DATA_ROW + 2):
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=6)
        ws.cell(row=i, column=1, value=_safe(text)).alignment = Alignment(wrap_text=True)
    for col, width in enumerate([18, 16, 14, 14, 18, 40], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width

    if sheet.units:
        detail = workbook.create_sheet("分单位明细")
        detail.append(["单位", "层级", "报送情况", *(f.short for f in F.FIGURES)])
        for cell in detail[1]:
            cell.font = Font(bold=True)
        for name, level, status, figures in sheet.units:
            detail.append([name, level, status, *(int(figures.get(f.key, 0)) for f in F.FIGURES)])
        for col, width in enumerate([24, 10, 10, 10, 12, 12, 10, 10], start=1):
            detail.column_dimensions[get_column_letter(col)].width = width

    defs = workbook.create_sheet("统计口径")
    defs.append(["指标", "口径"])
    for f in F.FIGURES:
        defs.append([f.short, f.definition])
    defs.column_dimensions["A"].width = 16
    defs.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_docx(sheet: Sheet) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"{sheet.unit_name}{sheet.month.label}月报", level=1)
    doc.add_paragraph(
        f"填报人：{sheet.reporter or '—'}　填报日期："
        + (f"{sheet.date:%Y年%m月%d日}" if sheet.date else "—")
        + (f"　{sheet.status}" if sheet.status else "")
    )
    by_type = "、".join(
        f"{label} {int(sheet.figures.get(key, 0))} 次"
        for key, (label, _) in F.ACTIVITY_TYPES.items()
    )
    doc.add_paragraph(
        f"{sheet.month.label}，辖区内各级人大开展视察、调研、座谈、联系群众活动 "
        f"{int(sheet.figures.get('activities', 0))} 次（{by_type}），代表参与 "
        f"{int(sheet.figures.get('attendances', 0))} 人次；收集意见建议 "
        f"{int(sheet.figures.get('collected', 0))} 件，解决问题 "
        f"{int(sheet.figures.get('solved', 0))} 件，上报市级处理研究的意见建议 "
        f"{int(sheet.figures.get('escalated', 0))} 件。"
    )
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "指标"
    table.rows[0].cells[1].text = "数量"
    for f in F.FIGURES:
        cells = table.add_row().cells
        cells[0].text = f.label
        cells[1].text = str(int(sheet.figures.get(f.key, 0)))
    if sheet.units:
        doc.add_heading("各单位报送情况", level=2)
        units = doc.add_table(rows=1, cols=3 + len(F.FIGURES))
        units.style = "Table Grid"
        for cell, text in zip(
            units.rows[0].cells,
            ["单位", "层级", "报送情况", *(f.short for f in F.FIGURES)],
            strict=True,
        ):
            cell.text = text
        for name, level, status, figures in sheet.units:
            cells = units.add_row().cells
            values = [name, level, status, *(str(int(figures.get(f.key, 0))) for f in F.FIGURES)]
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
    doc.add_heading("典型案例", level=2)
    if sheet.typical_cases:
        for case in sheet.typical_cases:
            doc.add_paragraph(
                f"{case['code']} {case['title']}"
                + (f"：{case['text']}" if case.get("text") else ""),
                style="List Number",
            )
    else:
        doc.add_paragraph("本月未选报典型案例。")
    if sheet.notes:
        doc.add_heading("填报说明", level=2)
        doc.add_paragraph(sheet.notes)
    doc.add_heading("统计口径", level=2)
    for f in F.FIGURES:
        doc.add_paragraph(f"{f.short}：{f.definition}", style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def unit_sheet(unit, month: F.Month, report, live: dict[str, int] | None, *, deadline_day: int):
    """A unit's sheet: the given submitted version, or the live figures marked as a draft."""
    from django.utils import timezone

    if report is not None:
        return Sheet(
            title=_title(),
            month=month,
            unit_name=unit.name,
            reporter=report.submitted_by.display_name,
            date=timezone.localdate(report.submitted_at),
            figures=report.figures,
            typical_cases=report.typical_cases,
            notes=report.notes,
            deadline_day=deadline_day,
            status=f"第 {report.version} 版" + ("，更正" if report.version > 1 else ""),
        )
    return Sheet(
        title=_title(),
        month=month,
        unit_name=unit.name,
        reporter="",
        date=None,
        figures=live or {},
        typical_cases=[],
        notes="",
        deadline_day=deadline_day,
        status="未报送，实时数据",
    )


def overview_sheet(overview, *, unit_name: str, reporter: str, date: dt.date, deadline_day: int):
    """The roll-up: the totals in the seed's layout and one row per unit on a second sheet.
    Typical cases of every submitted report are listed with their unit."""
    typical = [
        {**case, "title": f"［{row.unit.name}］{case['title']}"}
        for row in overview.rows
        if row.report
        for case in row.report.typical_cases
    ]
    return Sheet(
        title=_title(),
        month=overview.month,
        unit_name=unit_name,
        reporter=reporter,
        date=date,
        figures=overview.totals,
        typical_cases=typical,
        notes=(
            f"共 {len(overview.rows)} 个单位，已报送 {overview.submitted} 个，"
            f"未报送 {overview.missing} 个，逾期 {overview.late} 个。合计为各县（市、区）"
            "已报送数据之和（未报送的按实时数据计）。"
        ),
        deadline_day=deadline_day,
        units=[
            (
                row.unit.name,
                row.unit.region.get_level_display(),
                row.status,
                row.figures,
            )
            for row in overview.rows
        ],
    )


def _title() -> str:
    from renda.reports.selectors import report_settings

    return report_settings().title
