"""The signed pledge prints like an official document: checked on the PDF's own text positions.

Pledges of 3 to 15 members and 3 to 30 criteria are rendered (through the document builder,
as the worker does) and read back with ``pdftotext -bbox-layout`` (poppler-utils): the
heading "ĐẠI DIỆN CÁC CƠ QUAN, ĐƠN VỊ KÝ GIAO ƯỚC" shares its page with a row of signatures,
no page holds a single signature alone, and the signers' names of one row share a baseline
even when one agency's name wraps onto more lines than its neighbour's.
"""

import datetime
import re
import subprocess
from decimal import Decimal
from html import unescape

import pytest

from core import documents
from core.models import IssuedDocument
from pledges import services
from pledges.documents import signature_groups
from pledges.models import Signature, SigningCapacity

# Real agency names of the seeds, long and short, so some wrap onto two or three lines.
AGENCY_NAMES = [
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Sở Nội vụ",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Tài chính",
    "Sở Tài nguyên và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Kế hoạch và Đầu tư",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thuế tỉnh",
    "Ban Dân tộc",
    "Cục Thống kê tỉnh",
    "Sở Ngoại vụ",
    "Ban Quản lý các khu công nghiệp tỉnh",
    "Quỹ Đầu tư phát triển",
    "Sở Nông nghiệp và Phát triển nông thôn",
]
HEADING = "ĐẠI DIỆN CÁC CƠ QUAN, ĐƠN VỊ KÝ GIAO ƯỚC"


def build_signed_pledge(members, criteria, province="Ninh Thuận"):
    """A pledge of ``members`` agencies and ``criteria`` criteria, signed by every member
    (the third signs "KT." so its cell is taller), without the signing flow's own render."""
    from emulation_portal.testing import make_agency, make_bloc_year, make_province, make_user

    province = make_province(province)
    agencies = [
        make_agency(province, name=AGENCY_NAMES[i], leader_name=f"Nguyễn Văn Đức {i + 1:02d}") for i in range(members)
    ]
    bloc_year = make_bloc_year(province, agencies, head=agencies[0], deputy=agencies[1])
    secretary = make_user(agency=agencies[0])
    from blocs.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=secretary, role=Role.SECRETARY, bloc_year=bloc_year)
    version = services.pledge_create(
        actor=secretary, bloc_year=bloc_year, doc_number="48/BKK-KTĐ3", place="Ninh Thuận", date=datetime.date(2022, 2, 28),
        preamble="Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch Ủy ban nhân dân tỉnh về phát động thi đua năm 2022.",
    )
    rows = [
        {"group": f"{'I' * (1 + i // 8)}. Nhóm nội dung thi đua", "text": f"Tiêu chí số {i + 1}: hoàn thành xuất sắc nhiệm vụ chính trị, "
         "đẩy mạnh cải cách hành chính, chuyển đổi số" + (" và phong trào thi đua yêu nước trong toàn Khối" if i % 3 else ""),
         "max_points": Decimal(5), "target": "100 %" if i % 2 else ""}
        for i in range(criteria)
    ]
    services.criteria_save(actor=secretary, version=version, rows=rows)
    services.review_open(actor=secretary, version=version)
    version = services.signing_open(actor=secretary, version=version)
    signatures = []
    for i, agency in enumerate(agencies):
        signer = make_user(agency=agency, full_name=agency.leader_name, title="Giám đốc")
        extra = {"capacity": SigningCapacity.DEPUTY, "original_title": "Giám đốc", "original_name": "Trần Văn A"} if i == 2 else {}
        signatures.append(Signature(version=version, agency=agency, signer=signer, signer_name=agency.leader_name,
                                    signer_title="Phó Giám đốc" if i == 2 else "Giám đốc", content_hash=version.content_hash, **extra))
    Signature.objects.bulk_create(signatures)
    return version


def render_pledge(version):
    draft = IssuedDocument(code="TEST-LAYO-UT00", kind="pledge", title=version.title)
    return documents.html_to_pdf(documents.document_html_for(draft, version))


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def pdf_lines(pdf):
    """Per page, the text lines as (text, x of the first word, y of the baseline box bottom)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603, S607
    pages = []
    for page in _PAGE.findall(out.stdout.decode("utf-8")):
        lines = []
        for line in _LINE.findall(page):
            words = _WORD.findall(line)
            if words:
                text = " ".join(unescape(w[4]) for w in words)
                lines.append((text, float(words[0][0]), float(words[0][3])))
        pages.append(lines)
    return pages


def signature_layout(pages, version):
    """Where the heading is, and on which page (and at which y and x) each signer's name prints."""
    names = {s.signer_name for s in version.signatures.all()}
    heading_page = None
    placed = {}
    for number, lines in enumerate(pages):
        for text, x, y in lines:
            if HEADING in " ".join(text.split()):
                heading_page = number
            for name in names:
                # Two neighbours' names may be read as one line: find each within it.
                if name in text and name not in placed:
                    placed[name] = (number, y, x + text.index(name))
    return heading_page, placed


SAMPLE = [(3, 3), (4, 30), (5, 12), (7, 20), (8, 8), (11, 5), (11, 16), (12, 25), (15, 3), (15, 20), (15, 30)]


@pytest.mark.parametrize(("members", "criteria"), SAMPLE)
def test_signature_block_keeps_heading_with_signatures_and_no_orphan(db, members, criteria):
    version = build_signed_pledge(members, criteria)
    pdf = render_pledge(version)
    pages = pdf_lines(pdf)
    heading_page, placed = signature_layout(pages, version)
    assert heading_page is not None, "the signature heading is printed"
    assert len(placed) == members, "every signer's name is printed"
    per_page = {}
    for page, y, _x in placed.values():
        per_page.setdefault(page, []).append(y)
    assert heading_page in per_page, "the heading shares its page with at least one row of signatures"
    first_on_heading_page = min(per_page[heading_page])
    assert len(per_page[heading_page]) >= min(2, members), "a full first row under the heading"
    for page, ys in per_page.items():
        assert len(ys) >= 2, f"page {page + 1} holds a single signature alone"
    assert first_on_heading_page > max(y for text, _x, y in pages[heading_page] if HEADING in " ".join(text.split()))
    # Names of one printed row share a baseline, whatever the length of the agencies' names above them.
    order = sorted(placed.values())
    rows = {}
    for page, y, x in order:
        rows.setdefault((page, round(y)), []).append(x)
    expected_rows = -(-members // 2)
    assert len(rows) == expected_rows, f"{members} names on {expected_rows} rows, got {sorted(rows)}"
    if members % 2:
        lone = [xs for xs in rows.values() if len(xs) == 1]
        assert len(lone) == 1


def test_signature_groups_balance_the_last_row():
    cells = list(range(7))
    groups = signature_groups(cells)
    assert [[len(row) for row in group] for group in groups] == [[2], [2], [2, 1]]
    assert signature_groups([1, 2, 3]) == [[[1, 2], [3]]]
    assert signature_groups([1]) == [[[1]]]
    assert signature_groups([1, 2, 3, 4]) == [[[1, 2]], [[3, 4]]]


def test_pledge_prints_recipients_a_summary_line_and_page_numbers_from_page_two(db):
    version = build_signed_pledge(11, 16)
    pages = pdf_lines(render_pledge(version))
    assert len(pages) >= 2
    texts = [[" ".join(t.split()) for t, _x, _y in lines] for lines in pages]
    first = texts[0]
    assert "BẢN GIAO ƯỚC THI ĐUA" in first
    bloc = version.pledge.bloc_year.bloc.name
    summary = next(t for t in first if t.startswith("Của "))
    assert bloc in summary and "năm 2022" in summary
    assert not any(t.startswith("Giao ước thi đua năm") for t in first), "the title does not repeat itself"
    # No page number on page 1; page n (n >= 2) has "n" alone at the top, centred.
    assert not any(t == "1" for t in first[:3])
    width = 595.3
    for number, lines in enumerate(pages[1:], start=2):
        top = min(lines, key=lambda line: line[2])
        assert top[0] == str(number)
        assert abs(top[1] - (30 * 72 / 25.4 + (width - 45 * 72 / 25.4) / 2)) < 15, "centred in the text area"
    assert not any(re.fullmatch(r"\d+/\d+", t) for page in texts for t in page)
    last = texts[-1]
    label = last.index("Nơi nhận:")
    assert last[label + 1 : label + 4] == ["- Các cơ quan, đơn vị thành viên Khối;", "- Ban Thi đua – Khen thưởng tỉnh;", "- Lưu: VT, Khối."]
    x_label = next(x for t, x, _y in pages[-1] if t.startswith("Nơi nhận"))
    assert x_label < 30 * 72 / 25.4 + 5, "at the left margin"
