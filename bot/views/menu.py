"""The citizen's main menu: the welcome text and its four buttons (shown by /start and by the fallbacks)."""

from __future__ import annotations

from bot.callbacks import CallbackSigner
from bot.texts import text
from bot.views.buttons import MenuChoice, MenuPress
from bot.views.render import province_words
from models.directory import Directory
from models.outbox import Button, Message


def menu_button(signer: CallbackSigner, label: str, choice: MenuChoice) -> Button:
    """Return one signed button of the main menu."""
    return Button(label=label, callback_data=signer.pack(MenuPress(choice)))


def main_menu(signer: CallbackSigner, directory: Directory, language: str) -> Message:
    """Return the welcome text with the main menu buttons."""
    return Message(
        text(language, "start.welcome", **province_words(directory, language)),
        buttons=[
            [menu_button(signer, text(language, "menu.submit"), MenuChoice.NEW)],
            [
                menu_button(signer, text(language, "menu.my_items"), MenuChoice.MY_ITEMS),
                menu_button(signer, text(language, "menu.help"), MenuChoice.HELP),
            ],
            [menu_button(signer, text(language, "menu.language"), MenuChoice.LANGUAGE)],
        ],
    )
