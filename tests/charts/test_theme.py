"""The charts' colours keep WCAG AA contrast; the heatmap's scale goes light to dark."""

from __future__ import annotations

from ptghub.charts import theme


def test_contrast_of_black_on_white_is_21() -> None:
    assert round(theme.contrast("#000000", "#ffffff"), 2) == 21.0
    assert theme.contrast("#ffffff", "#ffffff") == 1.0


def test_theme_text_keeps_aa_for_text_on_the_background() -> None:
    ratios = {c: round(theme.contrast(c, theme.BACKGROUND), 2) for c in (theme.TEXT, theme.MUTED)}

    assert ratios == {"#1b1f24": 16.56, "#4a5560": 7.61}
    assert min(ratios.values()) >= 4.5


def test_theme_series_and_lines_keep_3_to_1_on_the_background() -> None:
    graphics = (*theme.SERIES_COLORS, theme.AXIS, theme.GAP_STROKE)

    assert [c for c in graphics if theme.contrast(c, theme.BACKGROUND) < 3] == []


def test_scale_goes_from_its_first_stop_to_its_last_darkening() -> None:
    colors = [theme.scale_color(v / 10) for v in range(11)]
    luminance = [theme.contrast(c, "#000000") for c in colors]

    assert colors[0] == theme.SCALE_STOPS[0]
    assert colors[-1] == theme.SCALE_STOPS[-1]
    assert luminance == sorted(luminance, reverse=True)
    assert theme.contrast(colors[-1], theme.BACKGROUND) >= 4.5


def test_label_step_shows_every_label_that_fits() -> None:
    assert theme.label_step(["9", "10", "11"], 600) == 1
    assert theme.label_step([f"{h:02d}:00" for h in range(24)], 700) == 2
    assert theme.label_step([f"Mon {h:02d}:00" for h in range(120)], 700) == 24
    assert theme.label_step([], 700) == 1
