"""The routes of registering for an event (issue 13), as one router for ``web.app``:
the form and a person's own registration (``register_pages``), registering by mailed link
(``register_mail``), and the organizers' page (``organize_registrations``)."""

from __future__ import annotations

from fastapi import APIRouter

from ptghub.web import organize_registrations, register_mail, register_pages

router = APIRouter(include_in_schema=False)
router.include_router(register_pages.router)
router.include_router(register_mail.router)
router.include_router(organize_registrations.router)
