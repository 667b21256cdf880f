"""`{% nav_desktop %}` and `{% nav_phone %}`: the menu of every page, built in Python.

The same markup as the template loops they replace, at a fraction of the cost: each page
drew some thirty entries twice, resolving five variables an entry, which was about a tenth of
a case list's server time (bench/bench_cases.py). Built once per menu and path."""

from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe

from renda.lib.markup import esc
from renda.workbench.nav import NavSection

register = template.Library()


def _active(section: NavSection, path: str) -> str:
    return " active" if any(item.url == path for item in section.items) else ""


def _link(item, path: str, css: str) -> str:
    active = " active" if item.url == path else ""
    return (
        f'<a class="{css}{active}" href="{esc(item.url)}"><i class="bi bi-{esc(item.icon)}">'
        f"</i> {esc(item.label)}</a>"
    )


@lru_cache(maxsize=1024)
def _desktop(sections: tuple[NavSection, ...], path: str) -> str:
    parts = []
    for section in sections:
        if not section.label:
            parts += [
                f'<li class="nav-item text-nowrap">{_link(item, path, "nav-link")}</li>'
                for item in section.items
            ]
            continue
        items = "".join(f"<li>{_link(item, path, 'dropdown-item')}</li>" for item in section.items)
        parts.append(
            '<li class="nav-item dropdown text-nowrap">'
            f'<a class="nav-link dropdown-toggle{_active(section, path)}" href="#" role="button" '
            f'data-bs-toggle="dropdown" aria-expanded="false">{esc(section.label)}</a>'
            f'<ul class="dropdown-menu">{items}</ul></li>'
        )
    return "\n".join(parts)


@lru_cache(maxsize=1024)
def _phone(sections: tuple[NavSection, ...], path: str) -> str:
    parts = []
    for section in sections:
        if section.label:
            parts.append(f'<li class="nav-item renda-nav-section">{esc(section.label)}</li>')
        parts += [
            f'<li class="nav-item">{_link(item, path, "nav-link")}</li>' for item in section.items
        ]
    return "\n".join(parts)


@register.simple_tag(takes_context=True)
def nav_desktop(context) -> SafeString:
    """The top bar's entries: one drop-down per section."""
    return mark_safe(_desktop(tuple(context.get("nav_sections") or ()), context["request"].path))


@register.simple_tag(takes_context=True)
def nav_phone(context) -> SafeString:
    """The phone's list: every entry under its section's name."""
    return mark_safe(_phone(tuple(context.get("nav_sections") or ()), context["request"].path))
