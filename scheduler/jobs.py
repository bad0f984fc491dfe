"""Every scheduled job, registered in one place (APScheduler 3.11, AsyncIOScheduler)."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import Bot

from bot.services import Services


def build_scheduler(services: Services, bot: Bot) -> AsyncIOScheduler:
    """Create the scheduler with every job registered (not started)."""
    scheduler = AsyncIOScheduler(timezone=services.directory.province.timezone)
    return scheduler
