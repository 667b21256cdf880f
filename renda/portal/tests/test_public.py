"""/p/public/: answered cases that their submitters agreed to publish, without personal data."""

from renda.cases.tests.helpers import submit
from renda.portal.tests.conftest import replied_case


def test_it_lists_published_answers_without_personal_data(client, personas, town_handler):
    replied_case(
        personas,
        town_handler,
        is_public=True,
        title="<script>alert('x')</script>路灯",
        content="我叫王五，电话13812345678，身份证330102199001011234。",
        address="湖滨路12号",
    )
    replied_case(
        personas, town_handler, is_public=False, title="不公开的事项", idempotency_key="k2"
    )
    submit(personas, is_public=True, title="尚未答复的事项")
    response = client.get("/p/public/")
    assert response.status_code == 200
    text = response.text
    assert "路灯" in text and "已更换灯具" in text and "湖滨社区" in text
    assert "不公开的事项" not in text and "尚未答复的事项" not in text
    assert "13812345678" not in text and "138****5678" in text
    assert "330102199001011234" not in text
    assert "湖滨路12号" not in text
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text


def test_it_lists_in_few_queries(client, personas, town_handler, django_assert_max_num_queries):
    for i in range(25):
        replied_case(personas, town_handler, is_public=True, idempotency_key=f"pub-{i}")
    # installation, count, the page of cases with category and region.
    with django_assert_max_num_queries(3):
        response = client.get("/p/public/?page=2")
    assert response.status_code == 200
    assert "第 2 / 2 页" in response.text
