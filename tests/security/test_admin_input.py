"""The admin's lists and exports answer a message for filter values that reached the database or
`datetime()` and gave a 500 (issue 19), and still filter with good values."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/admin/roadmaps/progressupdate/"
EXPORT = "/admin/roadmaps/progressupdate/export/csv/"


@pytest.mark.parametrize("path", [LIST, EXPORT])
@pytest.mark.parametrize(
    "query",
    [
        "status__exact=%00",
        "review_state__exact=a%00b",
        "reporting_date__year=1000000000000",
        "reporting_date__year=%C2%B9",
        "reporting_date__year=2025&reporting_date__month=13",
        "reporting_date__year=2025&reporting_date__month=1&reporting_date__day=99999999999",
    ],
)
def test_a_filter_value_the_database_refuses_is_a_message(client_for, secretariat_user, path, query):
    response = client_for(secretariat_user).get(f"{path}?{query}")
    assert response.status_code == 400
    text = response.content.decode()
    assert "has a value the list cannot use" in text
    assert f'href="{LIST}"' in text


def test_the_message_is_in_spanish_for_a_spanish_reader(client_for, secretariat_user):
    client = client_for(secretariat_user)
    client.cookies["django_language"] = "es"
    response = client.get(f"{LIST}?status__exact=%00", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "tiene un valor que la lista no puede usar" in response.content.decode()


def test_good_date_filters_still_work(client_for, secretariat_user):
    response = client_for(secretariat_user).get(f"{LIST}?reporting_date__year=2025&reporting_date__month=3")
    assert response.status_code == 200


def test_someone_outside_the_secretariat_is_still_sent_to_sign_in(client):
    response = client.get(f"{LIST}?status__exact=%00")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
