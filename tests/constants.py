"""Values the tests share: the bot's token, the test province and its chats, the clock's start, PostgreSQL.

Fixtures live in conftest.py; helpers import these from here, never from conftest.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.updates import TgUser

ROOT = Path(__file__).resolve().parent.parent
TEST_DIRECTORY = ROOT / "tests" / "data" / "test-province.yaml"
TOKEN = "123456:TEST"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 07/12/2026, 09:00 local time: an ordinary working morning.
MONDAY_MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=HANOI)

# The groups of tests/data/test-province.yaml.
TRIAGE_GROUP = -1001000  # VP, the provincial office
NNMT_GROUP = -1002000  # Sở Nông nghiệp và Môi trường
XD_GROUP = -1003000  # Sở Xây dựng
PDP_GROUP = -1004000  # UBND phường Phan Đình Phùng
TC_GROUP = -1005000  # UBND xã Tân Cương
SUPERVISORS_GROUP = -1009000

CITIZEN = TgUser(id=5001, first_name="Lan", last_name="Nguyễn", language_code="vi")
OTHER_CITIZEN = TgUser(id=5002, first_name="Minh", language_code="vi")

POSTGRES_ADMIN_DSN = os.environ.get("PAKN_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


POSTGRES_AVAILABLE = _postgres_reachable()
