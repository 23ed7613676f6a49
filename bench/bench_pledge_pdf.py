"""Time to render a signed pledge of 15 members and 20 criteria, next to WeasyPrint rendering one line.

Builds its data in a throwaway test database (never the development database) and drops it after.
"""

import datetime
import time
from decimal import Decimal

from bench.timing import in_throwaway_database, timed


def _build_pledge():
    from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User
    from pledges import services
    from pledges.models import Signature

    province = Province.objects.create(name="Ninh Thuận (bench)", code="bench")
    agencies = [
        Agency.objects.create(province=province, name=f"Sở Thử nghiệm số {i:02d}", short_name=f"S{i}", leader_name=f"Nguyễn Văn Đức {i}",
                              leader_title="Giám đốc")
        for i in range(1, 16)
    ]
    bloc = Bloc.objects.create(province=province, name="Khối thi đua các cơ quan tham mưu tổng hợp (bench)")
    bloc_year = BlocYear.objects.create(bloc=bloc, year=2022, head=agencies[0], deputy=agencies[1])
    Membership.objects.bulk_create([Membership(bloc_year=bloc_year, agency=a, year=2022) for a in agencies])
    secretary = User.objects.create(username="bench-secretary", full_name="Thư ký")
    RoleAssignment.objects.create(user=secretary, role=Role.SECRETARY, bloc_year=bloc_year)
    leaders = [User.objects.create(username=f"bench-leader-{a.pk}", full_name=a.leader_name, title="Giám đốc", agency=a) for a in agencies]
    version = services.pledge_create(
        actor=secretary, bloc_year=bloc_year, doc_number="48/BKK-KTĐ3", place="Ninh Thuận", date=datetime.date(2022, 2, 28),
        preamble="Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch Ủy ban nhân dân tỉnh về phát động thi đua năm 2022.",
    )
    rows = [
        {"group": f"{'I' * (1 + i // 7)}. Nhóm nội dung thi đua", "text": f"Tiêu chí thi đua số {i + 1}: hoàn thành xuất sắc nhiệm vụ chính trị, "
         "đẩy mạnh cải cách hành chính, chuyển đổi số và phong trào thi đua yêu nước", "max_points": Decimal(5), "target": "100 %"}
        for i in range(20)
    ]
    services.criteria_save(actor=secretary, version=version, rows=rows)
    services.review_open(actor=secretary, version=version)
    version = services.signing_open(actor=secretary, version=version)
    # Signatures written directly: the bench times rendering, not the signing flow (which would enqueue a render).
    Signature.objects.bulk_create([
        Signature(version=version, agency=a, signer=u, signer_name=u.full_name, signer_title="Giám đốc", content_hash=version.content_hash)
        for a, u in zip(agencies, leaders, strict=True)
    ])
    return version


def _measure():
    from django.template.loader import render_to_string

    from core import documents
    from core.models import IssuedDocument

    version = _build_pledge()
    draft = IssuedDocument(code="BENC-HMAR-K000", kind="pledge", title=version.title)

    def pledge_pdf():
        content = documents._BUILDERS["pledge"](version)
        return documents.html_to_pdf(render_to_string(content.template_name, documents.document_context(draft, content)))

    def one_line():
        return documents.html_to_pdf("<p>Một dòng chữ tiếng Việt.</p>")

    documents.html_to_pdf("<p>warm-up</p>")
    base_median, base_min, _ = timed(one_line)
    median, fastest, pdf = timed(pledge_pdf)
    # CPU time as well: on a machine busy with other work, wall time mostly measures the waiting.
    base_cpu, cpu = _cpu_min(one_line), _cpu_min(pledge_pdf)
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(pdf)).pages)
    return [
        f"one-line page (WeasyPrint baseline): median {base_median * 1000:.0f} ms, min {base_min * 1000:.0f} ms, CPU min {base_cpu * 1000:.0f} ms",
        f"signed pledge, 15 members x 20 criteria ({pages} pages, {len(pdf) // 1024} KiB): "
        f"median {median * 1000:.0f} ms, min {fastest * 1000:.0f} ms ({median / base_median:.1f}x the baseline); "
        f"CPU min {cpu * 1000:.0f} ms ({cpu / base_cpu:.1f}x the baseline's CPU)",
    ]


def _cpu_min(fn, runs=5):
    """The least CPU time (this process, ``time.process_time``) of ``runs`` calls of ``fn``."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def run():
    return in_throwaway_database(_measure)
