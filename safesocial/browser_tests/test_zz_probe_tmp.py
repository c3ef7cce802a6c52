import pytest
from safesocial.browser_tests.test_publishing_accessibility import world, _media_in_tmp  # noqa

@pytest.mark.browser
def test_probe(world, page, sign_in):
    sign_in(world.teacher)
    page.goto("/posts/new/")
    print(page.locator("main form").inner_html()[:1800])
    page.goto(f"/posts/{world.draft.pk}/")
    pass
