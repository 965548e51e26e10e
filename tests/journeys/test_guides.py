"""The user guides under «Справка»: every step's picture exists, is light, and is shown."""

import pytest
from django.urls import reverse
from PIL import Image

from iom_portal.guides import GUIDES, HELP_STATIC
from tests.world import World

SHOTS = [step.shot for guide in GUIDES for step in guide.steps if step.shot]


@pytest.mark.parametrize("name", SHOTS)
def test_each_guide_picture_was_taken_and_downsized(name):
    path = HELP_STATIC / name
    assert path.exists(), f"{name}: run `make guide-screenshots` and commit static/help/"
    assert path.stat().st_size <= 150 * 1024
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width <= 1100
    small = HELP_STATIC / (path.stem + "-small.png")  # what the page shows, linked to the picture
    assert small.exists() and small.stat().st_size <= 40 * 1024, f"{small.name}: run `make guide-screenshots`"


def test_every_role_has_a_guide_with_steps():
    from tests.world import ROLES

    covered = {role for guide in GUIDES for role in guide.roles}
    assert covered == set(ROLES) - {"anonymous"}
    assert all(guide.steps for guide in GUIDES)


@pytest.mark.django_db
def test_the_header_leads_to_the_help_and_the_users_own_guide_comes_first(client):
    world = World()
    client.force_login(world.user("director"))
    home = client.get("/").content.decode()
    assert f'href="{reverse("help")}"' in home and "Справка" in home
    page = client.get(reverse("help")).content.decode()
    assert page.index(reverse("help_guide", args=["director"])) < page.index(reverse("help_guide", args=["teacher"]))


@pytest.mark.django_db
@pytest.mark.parametrize("guide", GUIDES, ids=[g.slug for g in GUIDES])
def test_each_guide_shows_its_steps_with_their_pictures(client, guide):
    client.force_login(World().user("teacher"))
    page = client.get(reverse("help_guide", args=[guide.slug])).content.decode()
    for step in guide.steps:
        assert step.title in page
        if step.shot:
            assert f"help/{step.shot}" in page
