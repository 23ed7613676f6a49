"""Colours of portal.css meet WCAG AA (4.5:1 for text): the navbar's text against both ends of its
gradient, the outline-primary buttons, warning text. axe checks the pages; this checks the sheet,
where axe cannot measure text over a gradient."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css").read_text()
WHITE, LIGHT_ALERT, LIGHT = (255, 255, 255), (252, 252, 253), (248, 249, 250)  # Bootstrap's light backgrounds


def rgb(value):
    value = value.strip()
    if value.startswith("var("):
        value = re.search(re.escape(value[4:-1]) + r"\s*:\s*([^;]+);", CSS).group(1)
    if value.startswith("#"):
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5)), 1.0
    r, g, b, *alpha = (float(x) for x in re.findall(r"[\d.]+", value))
    return (r, g, b), alpha[0] if alpha else 1.0


def over(colour, background):
    (fg, alpha) = rgb(colour) if isinstance(colour, str) else (colour, 1.0)
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, background, strict=True))


def luminance(colour):
    channels = [c / 255 for c in colour]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rule(selector, prop):
    body = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS).group(1)
    return re.search(re.escape(prop) + r"\s*:\s*([^;!]+)", body).group(1).strip()


def test_the_contrast_formula():
    assert round(contrast((255, 193, 7), WHITE), 2) == 1.63  # Bootstrap's yellow, as axe measured it
    assert round(contrast((13, 110, 253), LIGHT_ALERT), 2) == 4.39


def test_navbar_text_against_both_ends_of_its_gradient():
    ends = re.search(r"linear-gradient\(\s*\d+deg\s*,\s*([^,]+),\s*(.+)\)", rule(".portal-nav", "background")).groups()
    assert len(ends) == 2
    for selector in (".portal-nav .nav-link, .portal-nav .btn-link", ".portal-nav .portal-nav-login"):
        text = rule(selector, "color")
        for end in ends:
            background, _alpha = rgb(end)
            assert contrast(over(text, background), background) >= 4.5, (selector, end)


@pytest.mark.parametrize(("selector", "prop"), [(".btn-outline-primary", "--bs-btn-color"), ("main .text-warning", "color")])
def test_coloured_text_on_light_backgrounds(selector, prop):
    colour, _alpha = rgb(rule(selector, prop))
    for background in (WHITE, LIGHT_ALERT, LIGHT):
        assert contrast(colour, background) >= 4.5, (selector, background)
