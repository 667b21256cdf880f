"""The annual evaluation sheet (代表履职考评表) as Excel and Word, and the ranking export.

Both sheets show the same thing: who the deputy is, each rule with how many records earned
it and its points, the total, the deputy's place in each congress, and blank lines for the
office's assessment and signatures that are filled in by hand.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from renda.duty.models import format_points
from renda.duty.selectors import Evaluation, Period, RankRow
from renda.lib.excel import write_sheet

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SIGNATURES = ("代表本人意见", "联络站（代表小组）意见", "人大常委会（主席团）考评意见")


def sheet_title(evaluation: Evaluation) -> str:
    return f"{evaluation.deputy.name} {evaluation.period.label}代表履职考评表"


def _profile(evaluation: Evaluation) -> list[tuple[str, str]]:
    d = evaluation.deputy
    return [
        ("姓名", d.name),
        ("性别", d.get_gender_display()),
        ("工作单位及职务", f"{d.work_unit} {d.post}".strip() or "—"),
        ("界别", str(d.sector) if d.sector else "—"),
        ("代表资格", "；".join(str(s.term) for s in evaluation.seats) or "—"),
        ("进站", "、".join(evaluation.stations) or "—"),
        ("考评期间", f"{evaluation.period.start:%Y-%m-%d} 至 {evaluation.period.end:%Y-%m-%d}"),
    ]


def _ranks(evaluation: Evaluation) -> str:
    return (
        "；".join(f"{name}：第 {rank} 名（共 {of} 名）" for name, rank, of in evaluation.ranks)
        or "—"
    )


def evaluation_xlsx(evaluation: Evaluation) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "考评表"
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.merge_cells("A1:D1")
    sheet["A1"] = sheet_title(evaluation)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    row = 3
    for label, value in _profile(evaluation):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    for col, header in enumerate(("积分来源", "积分规则", "次数", "积分"), start=1):
        cell = sheet.cell(row=row, column=col, value=header)
        cell.font = Font(bold=True)
        cell.border = box
    for line in evaluation.lines:
        row += 1
        values = (line.source, line.name, line.count, float(line.points))
        for col, value in enumerate(values, start=1):
            sheet.cell(row=row, column=col, value=value).border = box
    if not evaluation.lines:
        row += 1
        sheet.cell(row=row, column=1, value="本期间无积分记录")
    row += 1
    sheet.cell(row=row, column=1, value="合计").font = Font(bold=True)
    sheet.cell(row=row, column=4, value=float(evaluation.total)).font = Font(bold=True)
    row += 1
    sheet.cell(row=row, column=1, value="积分排名").font = Font(bold=True)
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    sheet.cell(row=row, column=2, value=_ranks(evaluation))
    row += 2
    for label in SIGNATURES:
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row + 2, end_column=4)
        sheet.cell(row=row + 2, column=1, value="签字（盖章）：    年  月  日")
        row += 4
    for col, width in enumerate((22, 28, 10, 12), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def evaluation_docx(evaluation: Evaluation) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(sheet_title(evaluation))
    run.bold = True
    run.font.size = Pt(16)
    profile = document.add_table(rows=0, cols=2)
    profile.style = "Table Grid"
    for label, value in _profile(evaluation):
        cells = profile.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph()
    document.add_paragraph().add_run("履职积分明细").bold = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, header in zip(
        table.rows[0].cells, ("积分来源", "积分规则", "次数", "积分"), strict=True
    ):
        cell.text = header
    for line in evaluation.lines:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = line.source, line.name
        cells[2].text, cells[3].text = str(line.count), format_points(line.points)
    if not evaluation.lines:
        table.add_row().cells[0].text = "本期间无积分记录"
    total = table.add_row().cells
    total[0].text, total[3].text = "合计", format_points(evaluation.total)
    document.add_paragraph(f"积分排名：{_ranks(evaluation)}")
    for label in SIGNATURES:
        document.add_paragraph()
        document.add_paragraph().add_run(f"{label}：").bold = True
        document.add_paragraph("\n\n")
        document.add_paragraph(
            "签字（盖章）：            年    月    日"
        ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ranking_xlsx(rows: list[RankRow], *, title: str, period: Period) -> bytes:
    return write_sheet(
        title="积分排名",
        headers=["名次", "姓名", "工作单位及职务", "积分", "明细条数", "统计期间", "范围"],
        rows=(
            [
                r.rank,
                r.deputy.name,
                f"{r.deputy.work_unit} {r.deputy.post}".strip(),
                float(r.total),
                r.entries,
                period.label,
                title,
            ]
            for r in rows
        ),
    )
