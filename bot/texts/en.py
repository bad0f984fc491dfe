"""English texts. Keys mirror vi.py; a missing key falls back to Vietnamese."""

TEXTS: dict[str, str] = {
    # --- general ---
    "error.internal": "Sorry, something went wrong on our side and this request was not handled. Nothing you sent is lost; please try again in a few minutes.",
    "error.text_too_long": "The text is longer than {maximum} characters. Please shorten it and send it again.",
    "error.unknown_command": "The bot does not know this command. Send /help to see what you can do.",
    "error.button_outdated": "This button is outdated and no longer works. Please use the latest message.",
    "error.button_invalid": "This button is not valid.",
    "error.private_only": "This command works only in a private chat with the bot: {link}",
    "error.group_only": "This command works only in an agency's group.",
    "error.unknown_code": "No item has the code {code}. Please check the code (for example PA-7K3Q9M).",
    "error.code_missing": "Please add the item's code, for example: {example}",
    "sticker.ignored": "The bot cannot read stickers. Please send text, photos or files.",
    "edit.ignored": "The bot does not take edits of messages already sent. To add something, please send a new message.",
    "language.changed": "Switched to English.",
    # --- citizen ---
    "start.welcome": (
        "Hello! This is where citizens and businesses send <b>feedback and petitions</b> "
        "in {province}.\n\n"
        "• Send feedback (report a problem: a broken road, a procedure handled wrongly…) or a petition "
        "(ask the authorities to do or change something).\n"
        "• The bot takes it to the responsible agency; you get a tracking code and an answer date.\n"
        "• The agency answers through the bot; you never need to know which agency is competent.\n\n"
        "<b>Complaints and denunciations are not accepted here.</b> Under the Law on Complaints and the "
        "Law on Denunciations they go to the provincial Citizen Reception Board, the inspectorate or "
        "the competent agency directly.\n\n"
        "What would you like to do?"
    ),
    "menu.submit": "✍️ Send feedback or a petition",
    "menu.my_items": "📋 My items",
    "menu.help": "❓ Help",
    "menu.language": "🌐 Tiếng Việt",
    "help.citizen": (
        "Commands:\n"
        "/new – send new feedback or a petition\n"
        "/status CODE – state and answer date of an item\n"
        "/my – your items\n"
        "/add CODE – add information to an open item\n"
        "/withdraw CODE – withdraw an item\n"
        "/mydata – see or delete your personal data\n"
        "/cancel – cancel what you are doing\n"
        "/language – change language (Tiếng Việt / English)"
    ),
    "group.citizen_command": "This command is for citizens; please message the bot privately: {link}",
    "submit.cancelled": "Cancelled. Nothing was sent. Send /new when you want to start again.",
    "submit.nothing_to_cancel": "There is nothing to cancel.",
    "submit.resume": "You have an item in progress. Carry on from where you were:",
    "submit.ask_kind": "Step 1/7. What are you sending?",
    "kind.feedback": "Feedback",
    "kind.petition": "Petition",
    "kind.feedback.hint": "Feedback – report a problem",
    "kind.petition.hint": "Petition – ask the authorities to act",
    "submit.ask_sender": "Step 2/7. You are sending as:",
    "sender.individual": "👤 An individual",
    "sender.business": "🏢 A business",
    "submit.ask_business_name": "What is the business's name? (you may press Skip)",
    "submit.ask_tax_code": "The business's tax code? (10 or 13 digits; you may press Skip)",
    "submit.bad_tax_code": "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits (e.g. 4600123456-001). Please type it again or press Skip.",
    "submit.ask_category": "Step 3/7. Which area is it about? (page {page}/{pages})",
    "submit.ask_locality": (
        "Step 4/7. Which ward or commune is it in?\n"
        "Type the name (with or without diacritics, e.g. <i>phan dinh phung</i>), "
        "or press the button to share a location."
    ),
    "submit.locality_choose": "Choose the ward or commune:",
    "submit.locality_not_found": "No ward or commune matches “{query}”. Please type another name, or press “Locality unknown”.",
    "submit.locality_unknown_button": "Locality unknown",
    "submit.share_location_button": "📍 Share my location",
    "submit.location_received": "Location received. If you know the ward or commune, type its name so it is routed faster; or press “Locality unknown” to go on.",
    "submit.ask_description": "Step 5/7. Describe what happened: where, when, how, and what you ask for. At least {minimum} and at most {maximum} characters.",
    "submit.description_too_short": "That is a little short ({length} characters). Please give at least {minimum} characters so the agency can act on it.",
    "submit.description_too_long": "That is {length} characters, over the {maximum} limit. Please shorten it; details can be attached as a file in the next step.",
    "submit.ask_attachments": "Step 6/7. Attach photos, files, voice notes, videos or a location (at most {maximum}). Press “Done” when finished, or “Skip”.",
    "submit.attachment_added": "Received {count}/{maximum} attachments. Send more or press “Done”.",
    "submit.attachment_limit": "You have attached the maximum of {maximum}. Press “Done” to go on.",
    "submit.attachment_too_big": "This file is larger than {megabytes} MB and cannot be taken. Please send a smaller one.",
    "submit.attachment_expected": "At this step, please send a photo, file, voice note, video or location; or press “Done”.",
    "submit.done_button": "✅ Done",
    "submit.skip_button": "Skip",
    "submit.ask_contact": (
        "Step 7/7. Would you like to give your phone number so the agency can call you if needed?\n\n"
        "{consent}"
    ),
    "submit.consent_wording": "I agree that the agency handling this item may see my phone number, only to contact me about this item.",
    "submit.share_contact_button": "📱 I agree – share my phone number",
    "submit.contact_not_own": "Please share your own phone number with the button below.",
    "submit.contact_received": "Phone number received.",
    "submit.use_buttons": "Please choose with the buttons below, or send /cancel to cancel.",
    "submit.summary": (
        "Please check before sending:\n\n"
        "<b>Kind:</b> {kind}\n"
        "<b>Sender:</b> {sender}\n"
        "<b>Area:</b> {category}\n"
        "<b>Locality:</b> {locality}\n"
        "<b>Text:</b> {text}\n"
        "<b>Attachments:</b> {attachments}\n"
        "<b>Phone for the agency:</b> {contact}"
    ),
    "submit.confirm_button": "📨 Send",
    "submit.edit_button": "✏️ Edit",
    "submit.cancel_button": "✖️ Cancel",
    "submit.edit_what": "What would you like to change?",
    "submit.edit_kind": "Kind",
    "submit.edit_category": "Area",
    "submit.edit_locality": "Locality",
    "submit.edit_description": "Text",
    "submit.edit_attachments": "Attachments",
    "submit.edit_contact": "Phone",
    "submit.not_given": "none",
    "submit.locality_unknown": "unknown",
    "submit.location_only": "shared location (ward or commune unknown)",
    "submit.received": (
        "✅ Your {kind_lower} has been received.\n\n"
        "<b>Tracking code:</b> <code>{code}</code>\n"
        "<b>Handled by:</b> {agency}\n"
        "<b>Answer due:</b> {deadline}\n\n"
        "Send /status {code} to follow it. To add information, reply to this message."
    ),
    "submit.rate_limited": "You have sent {limit} items in the past hour. To keep the service fair you can send again after {at}. Thank you!",
    "submit.duplicate": "This is the same as item {code} you just sent, so no new item was created. Send /status {code} to follow it.",
    "status.full": (
        "<b>Item {code}</b> ({kind_lower})\n"
        "<b>State:</b> {state}\n"
        "<b>Handled by:</b> {agency}\n"
        "<b>Answer due:</b> {deadline}{overdue}"
    ),
    "status.overdue_suffix": "\n⚠️ Overdue; it has been reported to the province.",
    "status.other": "Item {code}: {state}.",
    "status.ask_code": "Send /status with the item's code, for example: /status PA-7K3Q9M",
    "my.empty": "You have not sent anything yet. Send /new to send feedback or a petition.",
    "my.header": "Your items (newest first):",
    "my.line": "• <code>{code}</code> – {category} – {state} – due {deadline}",
    "state.received": "received, waiting for the agency to take it",
    "state.in_progress": "in progress",
    "state.awaiting_citizen": "waiting for more information from you",
    "state.answered": "answered",
    "state.closed": "closed",
    "state.disputed": "waiting for the province to decide which agency handles it",
    "state.reopened": "being handled again",
    "state.rejected": "not accepted",
    "state.withdrawn": "withdrawn",
    "card.new": (
        "🆕 <b>{kind_upper} {code}</b>{urgent}\n"
        "<b>Area:</b> {category}\n"
        "<b>Locality:</b> {locality}\n"
        "<b>Sender:</b> {sender}\n"
        "<b>Contact:</b> {contact}\n"
        "<b>Claim by:</b> {claim_deadline}\n"
        "<b>Answer due:</b> {deadline}\n"
        "<b>State:</b> {state}\n\n"
        "{text}"
    ),
    "card.urgent": " ⚡ URGENT",
    "card.sender_individual": "an individual (identity protected)",
    "card.sender_business": "business {name}{tax_code}",
    "card.contact_hidden": "not given; contact them through the bot with “Ask”",
    "card.contact_shown": "{phone} (the sender agreed to share it at {consent_at})",
    "card.triage_note": "\n\nℹ️ Sent to {agency} for triage because: {why}.",
    "card.triage_why.triage": "the competent agency could not be determined",
    "card.triage_why.unbound": "{agency} has no Telegram group yet",
    "card.attachments": "📎 {count} attachments follow below.",
    "card.claimed_by": "\n<b>Handled by:</b> {officer}",
    # --- officer ---
    "auth.not_agency_group": "This group is not the responsible agency's group, so the item cannot be handled here.",
    "auth.not_member": "Only members of the agency's group may act on this item.",
    "auth.not_on_roster": "You are not on the agency's roster of officers. Please contact the administrator.",
    "auth.wrong_agency": "Another agency is responsible for this item; it cannot be handled from this group.",
    "auth.not_supervisors_group": "This can only be done in the province's supervisors' group.",
    "card.button.claim": "✋ Claim",
    "card.button.ask": "❓ Ask the sender",
    "card.button.consult": "🤝 Consult an agency",
    "card.button.progress": "🕑 Progress update",
    "card.button.answer": "✅ Answer",
    "card.button.transfer": "↪️ Not ours: transfer",
    "card.button.reject": "🚫 Reject",
    # --- supervisor ---
    # --- scheduler ---
    # --- binding ---
    "bind.code_created": "Binding code for {agency}: {code} (expires {expires}). Send /bind {code} in the agency's Telegram group.",
    "bind.done": "✅ This group is now bound to <b>{agency}</b>. The agency's items will be posted here.",
    "bind.bad_code": "The binding code is wrong, used or expired. Please ask the administrator for a new one.",
    "bind.ask_code": "Send /bind with the code from the administrator, for example: /bind 123456",
    "agency.this_group": "This group serves: <b>{agency}</b>.",
    "agency.supervisors": "This is the province's supervisors' group ({name}).",
    "agency.unbound": "This group is not bound to any agency. An administrator runs “pakn agency bind-code AGENCY_CODE” and then sends /bind CODE here.",
    # --- delivery ---
}
