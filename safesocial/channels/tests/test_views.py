import pytest
from django.urls import reverse

from safesocial.testing.channels import make_channel


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Seabright Primary School (sandbox Facebook page)", "Seabright Primary School (sandbox Facebook page)"),
        ("Seabright sandbox", "Seabright sandbox"),
        ("Seabright Primary on Facebook", "Seabright Primary on Facebook (sandbox)"),
    ],
)
def test_the_sandbox_page_says_sandbox_once_in_its_title(client, channel_admin, head, seabright, name, title):
    channel = make_channel(channel_admin, head, seabright, name=name)
    body = client.get(reverse("sandbox", args=[channel.pk])).content.decode()
    assert f"<title>{title} · SafeSocial</title>" in body
