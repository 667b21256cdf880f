"""Reading and writing the .xlsx sheets that offices exchange with Renda.

Domain modules decide what the columns mean; this module only turns an upload into rows of
text keyed by header (with the row number a user sees in Excel) and rows into a tidy sheet.
Every problem with the file itself becomes a `SheetError` with a message a clerk can act on.
"""

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


class SheetError(Exception):
    """The upload as a whole cannot be read: not an .xlsx, empty, too long, columns missing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    """One data row: `number` is the row number Excel shows (the header is row 1)."""

    number: int
    values: dict[str, str]

    def has(self, header: str) -> bool:
        return header in self.values

    def get(self, header: str) -> str:
        return self.values.get(header, "")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.column} {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        return f"已导入 {self.total} 行：新增 {self.created}，更新 {self.updated}。"


def _cell_text(value: object) -> str:
    # Excel turns typed-in codes and phone numbers into numbers; the domain wants their text.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _header_text(value: object) -> str:
    # Templates often mark required columns with "*"; the name is what matters.
    return _cell_text(value).replace("\n", "").strip().strip("*＊").strip()


def read_rows(
    upload,
    *,
    required: Sequence[str],
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> list[SheetRow]:
    """The data rows of the first sheet of an uploaded .xlsx, keyed by header text.

    Headers are matched by their text, so columns may come in any order and unknown columns
    are ignored. Blank rows are skipped but keep their place in the numbering.
    """
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size == 0:
        raise SheetError("上传的文件是空的。")
    if not name.lower().endswith(".xlsx"):
        raise SheetError(
            "只能导入 Excel 文件（.xlsx）。.xls、.csv 等格式请先在 Excel 中另存为 .xlsx。"
        )
    if size is not None and size > max_bytes:
        raise SheetError(f"文件超过 {max_bytes // (1024 * 1024)} MB，请分批导入。")
    try:
        upload.seek(0)
        data = upload.read()
    except OSError as exc:
        raise SheetError("无法读取上传的文件，请重新上传。") from exc
    if not data:
        raise SheetError("上传的文件是空的。")
    try:
        return _parse(data, required=required, max_rows=max_rows)
    except SheetError:
        raise
    except Exception as exc:
        # The file comes from outside: zipfile.BadZipFile, KeyError for missing parts,
        # InvalidFileException, XML parse errors… all mean the same thing to the clerk.
        raise SheetError("文件不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名。") from exc


def _parse(data: bytes, *, required: Sequence[str], max_rows: int) -> list[SheetRow]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SheetError("文件中没有工作表。")
        lines = sheet.iter_rows(values_only=True)
        header_cells = next(lines, None)
        headers = [_header_text(v) for v in header_cells or ()]
        if not any(headers):
            raise SheetError("文件是空的：第 1 行应为表头（列名）。")
        missing = [h for h in required if h not in headers]
        if missing:
            raise SheetError(f"缺少必需的列：{'、'.join(missing)}。请使用导出的文件作为模板。")
        rows: list[SheetRow] = []
        for number, cells in enumerate(lines, start=2):
            texts = [_cell_text(v) for v in cells]
            if not any(texts):
                continue
            if len(rows) >= max_rows:
                raise SheetError(f"文件超过 {max_rows} 行数据，请分批导入。")
            values: dict[str, str] = {}
            for header, text in zip(headers, texts, strict=False):
                # The first column of a repeated header wins, as a reader would expect.
                if header and header not in values:
                    values[header] = text
            for header in headers:
                if header and header not in values:
                    values[header] = ""
            rows.append(SheetRow(number=number, values=values))
    finally:
        workbook.close()
    if not rows:
        raise SheetError("文件中没有数据行（第 1 行是表头，数据从第 2 行开始）。")
    return rows


def _display_width(text: str) -> int:
    # Chinese characters take two columns in Excel's default font.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_sheet(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsx with one sheet: a bold, frozen header row and columns wide enough to read."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(list(headers))
    widths = [_display_width(h) for h in headers]
    for row in rows:
        values = ["" if v is None else v for v in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # A name such as "=SUM(…)" must stay text, never become a live formula.
                cell.data_type = "s"
        for i, value in enumerate(values):
            widths[i] = max(widths[i], _display_width(str(value)))
    fill = PatternFill("solid", fgColor="F2DCDB")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_sheet(
    content: bytes, *, title: str, rows: Iterable[Sequence[object]], widths: Sequence[int] = ()
) -> bytes:
    """`content` (an .xlsx) with one more sheet of plain rows, e.g. the definitions behind a
    table; `widths` are the first columns' widths in characters."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, content: bytes, filename: str, fallback: str = "export.xlsx") -> HttpResponse:
    """A download of `content` named `filename`, which may be Chinese (RFC 5987/6266)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    # Old clients read the ASCII fallback; every current browser reads filename*.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response


class RowProblem(Exception):
    """One row cannot be imported: the (column, reason) pairs to show the clerk."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{c} {m}" for c, m in problems))
        self.problems = list(problems)


_PHONE_CHARS = re.compile(r"^[0-9()（）+\- 转]{3,30}$")
_MOBILE = re.compile(r"^[0-9]{11}$")


class RowReader:
    """Reads the cells of one row as typed values, collecting every problem it meets so a
    row with three mistakes reports all three at once."""

    def __init__(self, row: SheetRow) -> None:
        self.row = row
        self.problems: list[tuple[str, str]] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append((column, message))

    def present(self, column: str) -> bool:
        """Whether the file has this column at all: an absent column leaves a field alone."""
        return self.row.has(column)

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.row.get(column)
        if required and not value:
            self.problem(column, "不能为空。")
        elif max_length is not None and len(value) > max_length:
            self.problem(column, f"不能超过 {max_length} 个字（现有 {len(value)} 个）。")
        return value

    def choice(self, column: str, choices: Sequence[tuple[str, str]], *, required: bool = False):
        """The stored value for a choice written by its Chinese label (or its code)."""
        value = self.text(column, required=required)
        if not value:
            return ""
        for stored, label in choices:
            if value in (label, stored):
                return stored
        labels = "、".join(label for _, label in choices)
        self.problem(column, f"“{value}”不是有效选项，应为：{labels}。")
        return ""

    def phone(self, column: str, *, mobile: bool = False) -> str:
        value = self.text(column).replace(" ", "") if mobile else self.text(column)
        if not value:
            return ""
        if "*" in value:
            self.problem(column, f"“{value}”是打码后的号码，请填写完整号码。")
        elif mobile and not _MOBILE.match(value):
            self.problem(column, f"“{value}”应为 11 位数字的手机号码。")
        elif not mobile and not (_PHONE_CHARS.match(value) and any(c.isdigit() for c in value)):
            self.problem(column, f"“{value}”不是有效的电话号码。")
        return value

    def done(self) -> None:
        if self.problems:
            raise RowProblem(self.problems)


@dataclass
class ImportState:
    """What the row handler may want to know about the file as a whole."""

    first_row: dict[str, int] = field(default_factory=dict)  # key → row where it first appears
    failed: dict[str, int] = field(default_factory=dict)  # key → a row that could not be imported


def _validation_problems(
    exc: ValidationError, *, field_columns: Mapping[str, str], default_column: str
) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [(default_column, m) for m in exc.messages]
    return [
        (field_columns.get(name, default_column), message)
        for name, errors in exc.message_dict.items()
        for message in errors
    ]


def import_rows(
    rows: Sequence[SheetRow],
    *,
    handle: Callable[[SheetRow, ImportState], bool],
    key: Callable[[SheetRow], tuple[str, str] | None],
    field_columns: Mapping[str, str],
    default_column: str,
) -> ImportResult:
    """Run `handle` (returns True when it created a row, False when it updated one) over every
    row, all or nothing: any bad row rolls the whole file back and every bad row is reported.

    `key` names a row's identifying (column, value) so repeated keys are caught before they
    reach the database. Each row runs in a savepoint, so a failed INSERT does not poison the
    rows after it and they are still checked.
    """
    result = ImportResult()
    state = ImportState()
    for row in rows:
        identity = key(row)
        if identity and identity[1]:
            state.first_row.setdefault(identity[1], row.number)
    with transaction.atomic():
        for row in rows:
            identity = key(row)
            problems: list[tuple[str, str]] = []
            if identity and identity[1] and state.first_row[identity[1]] != row.number:
                first = state.first_row[identity[1]]
                problems = [(identity[0], f"“{identity[1]}”与第 {first} 行重复。")]
            else:
                try:
                    with transaction.atomic():
                        created = handle(row, state)
                except RowProblem as exc:
                    problems = exc.problems
                except ValidationError as exc:
                    problems = _validation_problems(
                        exc, field_columns=field_columns, default_column=default_column
                    )
                except IntegrityError:
                    problems = [
                        (default_column, "与已有数据冲突（可能刚被他人修改），请重新导出后再试。")
                    ]
                else:
                    if created:
                        result.created += 1
                    else:
                        result.updated += 1
            if problems:
                if identity and identity[1]:
                    state.failed.setdefault(identity[1], row.number)
                result.errors += [RowError(row.number, c, m) for c, m in problems]
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = 0
    return result
