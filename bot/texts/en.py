"""English texts. Keys mirror vi.py; a missing key falls back to Vietnamese.

The wording rules are vi.py's. Counted nouns use the plural field "{count:p/item/items}"
(bot.texts picks the singular for exactly one), so nothing reads "1 attachments" or "item(s)".
"""

TEXTS: dict[str, str] = {
    # --- general ---
    "error.internal": "Sorry, something went wrong on our side and this request was not handled. Nothing you sent is lost; please try again in a few minutes.",
    "error.text_too_long": "The text is longer than {maximum} characters. Please shorten it and send it again.",
    "error.unknown_command": "The bot does not know this command. Send /help to see what you can do.",
    "error.button_outdated": "This button is outdated and no longer works. Please use the latest message.",
    "error.button_invalid": "This button is not valid.",
    "error.button_renewed": "This card's buttons have just been renewed for the new version. Please press again.",
    "error.private_only": "This command works only in a private chat with the bot: {link}",
    "error.group_only": "This command works only in an agency's group.",
    "error.unknown_code": "No item has the code {code}. Please check the code (for example PA-7K3Q9M).",
    "error.code_missing": "Please add the item's code, for example: {example}",
    "sticker.ignored": "The bot cannot read stickers. Please send text, photos or files.",
    "edit.ignored": "The bot does not take edits of messages already sent. To add something, please send a new message.",
    "language.changed": "Switched to English.",
    "paging.previous": "◀️ Previous",
    "paging.next": "Next ▶️",
    # --- citizen ---
    "start.welcome": (
        "Hello! This is where citizens and businesses send <b>feedback and petitions</b> "
        "in {province}.\n\n"
        "• Send feedback (report a problem: a broken road, a procedure handled wrongly…) or a petition "
        "(ask the authorities to do or change something).\n"
        "• The bot takes it to the responsible agency; you get a tracking code and an answer date.\n"
        "• The agency answers through the bot; you never need to know which agency is competent.\n\n"
        "<b>Complaints and denunciations are not accepted here.</b> Under the Law on Complaints and the "
        "Law on Denunciations they go to the Citizen Reception Board of {province}, the inspectorate or "
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
    "submit.ask_tax_code": "The business's tax code? 10 digits, or 13 for a branch, e.g. 4600123459 or 4600123459-001 (you may press Skip).",
    "submit.bad_tax_code": "That tax code is not valid. It has 10 digits, and a branch 3 more (with or without a hyphen), e.g. 4600123459 or 4600123459-001; the tenth digit is a check digit. Please check the business registration certificate, type it again or press Skip.",
    "submit.ask_category": "Step 3/7. Which area is it about? (page {page}/{pages})",
    "submit.ask_locality": (
        "Step 4/7. Which ward or commune is it in?\n"
        "Type the name (with or without diacritics{example}), or press the button to share a location."
    ),
    "submit.locality_example": ", e.g. <i>{example}</i>",
    "submit.locality_choose": "Choose the ward or commune:",
    "submit.locality_suggest": "No ward or commune is called exactly “{query}”. Did you mean one of these?",
    "submit.locality_not_found": "No ward or commune matches “{query}”. Please type another name, or press “Locality unknown”.",
    "submit.locality_unknown_button": "Locality unknown",
    "submit.share_location_button": "📍 Share my location",
    "submit.location_received": "Location received. If you know the ward or commune, type its name so it is routed faster; or press “Locality unknown” to go on.",
    "submit.ask_description": (
        "Step 5/7. Describe what happened: where, when, how, and what you ask for. "
        "At least {minimum} and at most {maximum} characters.\n"
        "If your text is long, Telegram may split it into several messages; the bot joins the parts "
        "in order, so there is no need to send it again."
    ),
    "submit.description_needs_text": "At this step, please type the description as text. Photos, files, voice notes and videos are attached in the next step.",
    "submit.description_too_short": "That is a little short ({length} characters). Please give at least {minimum} characters so the agency can act on it.",
    "submit.description_too_long": "That is {length} characters, over the {maximum} limit. Please shorten it; details can be attached as a file in the next step.",
    "submit.description_too_long_parts": (
        "What you just sent (counting every part Telegram split off) is {length} characters, over the "
        "{maximum} limit, so it was not taken; the remaining parts of the same paste are not taken either. "
        "Please shorten it and send it again; details can be attached as a file in the next step."
    ),
    "submit.description_collecting": (
        "📝 Received {length}/{maximum} characters so far. Because the text is long, Telegram may have "
        "split it into several messages; the bot joins the parts in order.\n"
        "If there is more, just send the rest; if that is everything, press “Description done”."
    ),
    "submit.description_done_button": "✅ Description done",
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
    "submit.publication_line": "\n<b>Published on the public page:</b> {choice}",
    "submit.publication_yes": "yes (anonymised)",
    "submit.publication_no": "no",
    "submit.publication_button": "🌐 Publish?",
    "submit.ask_publication": (
        "Do you agree that your feedback or petition and the agency's answer are published on the "
        "public feedback and petitions page?\n\n"
        "The website does <b>not</b> show your name, phone number, location or Telegram account; phone "
        "numbers, e-mail addresses and ID numbers in the text are masked. If you do not choose, the item "
        "is <b>not</b> published."
    ),
    "submit.publication_agree_button": "✅ Agree to publish (anonymised)",
    "submit.publication_refuse_button": "🚫 Do not publish",
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
    "submit.rate_limited": "You have sent {limit} items in the past hour. To keep the service fair you can send the next one from {at}. Thank you!",
    "submit.rate_limited_draft_kept": "The item you were writing is kept as it is; at that time, type /new to carry on.",
    "flood.paused": "You have sent too many messages in a short time. To keep the service running, the bot will not read your messages until {until}. After that you can continue as usual. Thank you!",
    "submit.duplicate": "This is the same as item {code} you just sent, so no new item was created. Send /status {code} to follow it.",
    "status.full": (
        "<b>Item {code}</b> ({kind_lower})\n"
        "<b>State:</b> {state}\n"
        "<b>Handled by:</b> {agency}\n"
        "<b>Answer due:</b> {deadline}{overdue}"
    ),
    "status.overdue_suffix": "\n⚠️ Overdue; it has been reported to higher levels.",
    "status.other": "Item {code}: {state}.",
    "status.ask_code": "Send /status with the item's code, for example: /status PA-7K3Q9M",
    "my.empty": "You have not sent anything yet. Send /new to send feedback or a petition.",
    "my.header": "Your items (newest first):",
    "my.line": "• <code>{code}</code> – {category} – {state} – due {deadline}",
    "state.received": "received, waiting for the agency to take it",
    "state.in_progress": "in progress",
    "state.awaiting_citizen": "waiting for more information from you",
    "state.answered": "answered",
    "state.closed": "finished",
    "state.disputed": "waiting for a decision on which agency is responsible",
    "state.reopened": "being handled again",
    "state.rejected": "not accepted",
    "state.withdrawn": "withdrawn",
    # --- the public web pages (bot/web): anonymised, for anyone ---
    "web.site_title": "Feedback and petitions – {province}",
    "web.skip_link": "Skip to the main content",
    "web.nav_label": "Main sections",
    "web.nav_home": "Figures",
    "web.nav_lookup": "Look up an item",
    "web.nav_answered": "Answered",
    "web.switch_language": "Tiếng Việt",
    "web.legal_note": (
        "This channel takes feedback and petitions. It does <strong>not</strong> take complaints or "
        "denunciations: under the Law on Complaints and the Law on Denunciations these go to the "
        "Citizen Reception Board, the inspectorate or directly to the competent authority."
    ),
    "web.privacy_note": "This page never shows the sender's name, phone number, location or account.",
    "web.home_heading": "How feedback and petitions are received and answered",
    "web.period": "last {days} days",
    "web.received": "Received",
    "web.answered": "Answered",
    "web.on_time_rate": "Answered on time",
    "web.overdue_now": "Overdue now",
    "web.no_rate": "n/a",
    "web.agency_table_caption": "Results by agency, last {days} days",
    "web.col_rank": "Rank",
    "web.col_agency": "Agency",
    "web.col_total": "Items",
    "web.col_on_time": "On time",
    "web.col_late": "Late",
    "web.col_overdue": "Overdue",
    "web.col_not_due": "Not yet due",
    "web.col_rate": "On-time rate",
    "web.col_median_days": "Median working days to answer",
    "web.not_ranked": "not ranked",
    "web.ranking_note": "Only agencies with at least {minimum} items in the period are ranked.",
    "web.chart_title": "The supervisors' report chart, last {days} days",
    "web.chart_alt": (
        "Chart of the last {days} days. Top: one bar per agency, its items split into on time, late, "
        "overdue and not yet due, with its on-time rate. Bottom: the on-time rate week by week. "
        "The same figures are in the agency table above and the weekly table below."
    ),
    "web.weeks_table_caption": "On-time rate by week of receipt, last {days} days",
    "web.col_week": "Week",
    "web.no_data": "No items in this period yet.",
    "web.generated_at": "Figures computed at {at}; refreshed every minute.",
    "web.lookup_heading": "Look up an item",
    "web.lookup_label": "Tracking code",
    "web.lookup_hint": "The code is in the confirmation message, e.g. PA-7K3Q9M or KN-7K3Q9M.",
    "web.lookup_button": "Look up",
    "web.lookup_bad_code": "“{code}” is not a tracking code. Codes look like PA-7K3Q9M or KN-7K3Q9M.",
    "web.lookup_not_found": "No item has the code {code}. Please check the code.",
    "web.item_heading": "Item {code}",
    "web.item_kind": "Kind",
    "web.item_category": "Subject",
    "web.item_state": "Status",
    "web.item_agency": "Responsible agency",
    "web.item_deadline": "Answer due",
    "web.item_steps": "Steps",
    "web.item_answer": "Answer",
    "web.answer_not_public": "The answer is not public because the sender did not agree to publication.",
    "web.overdue_badge": "overdue",
    "web.step_reason": "Reason: {reason}",
    "web.step.submitted": "Received",
    "web.step.claimed": "Taken up by the agency",
    "web.step.routed": "Sent to the competent agency",
    "web.step.transferred": "Transferred to another agency",
    "web.step.dispute_decided": "The supervisors decided the responsible agency",
    "web.step.reassigned": "The supervisors gave it to another agency",
    "web.step.extended": "Deadline extended",
    "web.step.answered": "Answered",
    "web.step.reopened_not_satisfied": "The sender was not satisfied; handled again",
    "web.step.rated_satisfied": "The sender was satisfied",
    "web.step.rejected": "Not accepted",
    "web.step.withdrawn": "Withdrawn by the sender",
    "web.state.received": "received, waiting for the agency to take it up",
    "web.state.in_progress": "being handled",
    "web.state.awaiting_citizen": "waiting for more information from the sender",
    "web.state.answered": "answered",
    "web.state.closed": "closed",
    "web.state.disputed": "waiting for the supervisors to decide the agency",
    "web.state.reopened": "being handled again",
    "web.state.rejected": "not accepted",
    "web.state.withdrawn": "withdrawn",
    "web.answered_heading": "Answered feedback and petitions",
    "web.answered_intro": (
        "Only items whose senders agreed to publication are shown. Phone numbers, e-mail addresses and "
        "ID numbers in the text are masked."
    ),
    "web.answered_empty": "No item has been published yet.",
    "web.question": "Text",
    "web.answer": "Answer",
    "web.received_on": "Received",
    "web.answered_on": "Answered",
    "web.locality": "Locality",
    "web.pages_label": "Pages",
    "web.page_of": "Page {page} of {pages}",
    "web.previous": "← Previous page",
    "web.next": "Next page →",
    "web.masked": "[masked]",
    "web.not_found_title": "Page not found",
    "web.not_found_body": "There is no such page. You can look up an item by its tracking code.",
    "web.bad_request_title": "Invalid request",
    "web.bad_request_body": "A parameter in the address is not valid. Please go back to the home page.",
    "web.error_title": "The page cannot be shown right now",
    "web.error_body": "The system is busy. Please try again in a few minutes.",
    "open311.service_description": "{name}: feedback and petitions on this subject are handled by {agency}.",
    "open311.group_by_locality": "the People's Committee of the commune or ward concerned",
    "open311.kind_attribute": "Kind: feedback (a problem) or petition (a request to act or change something)",
    "open311.locality_attribute": "Commune or ward where it happens (if known)",
    "open311.consent_attribute": "The sender agrees that the agency sees the contact details (true/false)",
    "open311.publication_attribute": "The sender agrees to anonymised publication of the text and the answer (true/false)",
    "open311.key_service": "Each channel (portal, hotline desk) gets its own api_key from the system administrator.",
    "open311.yes": "Yes",
    "open311.no": "No",
    "open311.service_notice": "Tracking code {code}. Answer due: {deadline}.",
    "open311.consent_wording": "Through the {channel} channel, the sender agreed that the agency sees the contact details, only to contact them about this item.",
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
    "card.attachments": "📎 {count} {count:p/attachment follows/attachments follow} below.",
    "card.claimed_by": "\n<b>Officer in charge:</b> {officer}",
    "card.text_excerpt": "{excerpt}\n\n📄 <i>Full text ({length} characters) just above this card.</i>",
    "card.full_text": "📄 <b>Full text of {kind_lower} {code}</b>",
    "card.full_text_part": "📄 <b>Full text of {kind_lower} {code}</b> (part {part} of {parts})",
    "card.channel": "\n<b>Channel:</b> {channel}",
    "card.contact_channel": "\n<b>Contact (the sender agreed):</b> {contact}",
    "followup.question": (
        "❓ <b>{agency}</b> needs more information about item <code>{code}</code>:\n\n{text}\n\n"
        "Please <b>reply to this message</b> with text, photos or files. The answer deadline is paused "
        "until you reply."
    ),
    "followup.progress": "🕑 <b>{agency}</b> reports progress on item <code>{code}</code>:\n\n{text}\n\nAnswer deadline: {deadline}.",
    "followup.answer": "📬 <b>{agency}</b> answers your {kind_lower} <code>{code}</code>:\n\n{text}",
    "followup.rejected": (
        "Item <code>{code}</code> was not accepted. The reason given by {agency}:\n\n{reason}\n\n"
        "{supervisors} will review this decision; if it was wrong, the item will be handled and you will be told."
    ),
    "followup.transferred": (
        "↪️ Item <code>{code}</code> was transferred to the competent agency: <b>{agency}</b>.\n"
        "The answer deadline does not change: {deadline}."
    ),
    "followup.disputed": (
        "{supervisors} is deciding which agency is responsible for item <code>{code}</code>. "
        "The answer deadline does not change: {deadline}."
    ),
    "followup.dispute_decided": (
        "{supervisors} decided that <b>{agency}</b> is responsible for item <code>{code}</code>.\n"
        "Answer deadline: {deadline}."
    ),
    "followup.reinstated": (
        "{supervisors} reviewed item <code>{code}</code> and gave it back to <b>{agency}</b> to handle. "
        "Answer deadline: {deadline}."
    ),
    "rate.ask": "Are you satisfied with the answer to item <code>{code}</code>?",
    "rate.satisfied": "😊 Satisfied",
    "rate.not_satisfied": "😞 Not satisfied",
    "rate.done": "You rated the answer to item <code>{code}</code>: {rating}.",
    "rate.already": "This item was already rated or no longer waits for a rating.",
    "rate.thanks": "Thank you for your rating. Item <code>{code}</code> is finished.",
    "rate.reopened": (
        "Item <code>{code}</code> was reopened for <b>{agency}</b> to handle again. New answer deadline: {deadline}. "
        "{supervisors} has been told."
    ),
    "rate.ask_comment": "What were you not satisfied with? If you like, <b>reply to this message</b> so the agency and {supervisors} know (optional).",
    "rate.comment_received": "Your comment on item <code>{code}</code> was passed to the agency and {supervisors}.",
    "add.answered": "Item <code>{code}</code> has been answered. If you are not satisfied, press “Not satisfied” under the answer to have it handled again.",
    "add.closed": "Item <code>{code}</code> is finished and takes no more information. For something new, type /new.",
    "add.empty": "Please send text, a photo or a file for item <code>{code}</code>.",
    "add.relayed": "✅ Your information was passed to the agency handling item <code>{code}</code>.",
    "add.ask_code": "Type /add with the tracking code, e.g. /add PA-7K3Q9M",
    "add.ask_text": "What would you like to add to item <code>{code}</code>? <b>Reply to this message</b> with text, photos or files.",
    "withdraw.ask_code": "Type /withdraw with the tracking code, e.g. /withdraw PA-7K3Q9M",
    "withdraw.not_open": "Item <code>{code}</code> is no longer being handled, so it cannot be withdrawn.",
    "withdraw.confirm": "Do you really want to withdraw item <code>{code}</code>? The agency will stop handling it and this cannot be undone.",
    "withdraw.yes": "Withdraw",
    "withdraw.no": "Keep it",
    "withdraw.kept": "Item <code>{code}</code> is still being handled.",
    "withdraw.done": "Item <code>{code}</code> was withdrawn. The agency has been told.",
    # --- officer ---
    "auth.not_agency_group": "This group is not the responsible agency's group, so the item cannot be handled here.",
    "auth.not_member": "Only members of the agency's group may act on this item.",
    "auth.membership_unverified": "Could not verify your membership of this group right now (Telegram did not answer). Please try again in a moment.",
    "auth.not_on_roster": "You are not on the agency's roster of officers. Please contact the administrator.",
    "auth.wrong_agency": "Another agency is responsible for this item; it cannot be handled from this group.",
    "auth.not_supervisors_group": "This can only be done in the supervisors' group.",
    "card.button.claim": "✋ Claim",
    "card.button.ask": "❓ Ask the sender",
    "card.button.consult": "🤝 Consult an agency",
    "card.button.progress": "🕑 Progress update",
    "card.button.answer": "✅ Answer",
    "card.button.transfer": "↪️ Not ours: transfer",
    "card.button.reject": "🚫 Reject",
    "auth.triage_routes_only": "The triage group can only route this item to the competent agency; everything else is done by that agency.",
    "auth.not_your_prompt": "Another officer started this step; only they can finish it. Use the buttons on the item card to act yourself.",
    "refused.wrong_state": "The item is “{state}”; this action is not possible now.",
    "refused.claim_first": "Nobody has claimed this item yet. Please press “Claim” first.",
    "refused.already_claimed": "{officer} has already claimed this item.",
    "refused.not_claimed": "Nobody has claimed this item yet.",
    "refused.transfer_window_closed": "The transfer window has closed ({ended_at}). Your agency stays responsible; you can consult another agency.",
    "refused.same_agency": "The item is already with this agency; please choose another one.",
    "refused.unknown_agency": "This agency is not in the directory.",
    "refused.reason_required": "Please give a reason.",
    "refused.text_required": "Please write something.",
    "refused.responsibility_decided": "The responsible agency for this item has been decided; it cannot be transferred again.",
    "refused.already_answered": "This has already been answered.",
    "refused.no_substance.too_short": "Too short, so it was not sent; please state the outcome or a concrete position.",
    "refused.no_substance.only_holding_phrase": "Not sent: this only acknowledges, promises and thanks. State an outcome, a decision, a date, a measure, a legal basis with its number, or what the sender should do.",
    "answer.no_substance_explained.too_short": (
        "⚠️ The answer is too short, so it was not sent. The sender needs to know what the agency did, "
        "the outcome, or the grounds for the answer. Reply to the card again with a full answer, or press "
        "“Send as a progress update” (the answer deadline keeps running)."
    ),
    "answer.no_substance_explained.only_holding_phrase": (
        "⚠️ The answer was not sent: it only acknowledges, promises and thanks (“received”, “will consider "
        "and resolve it as regulated”, “as soon as possible”…). Agency and place names do not count as content.\n\n"
        "An answer needs at least one concrete point:\n"
        "• an outcome or a decision (repaired, a violation report drawn up, not eligible…);\n"
        "• the date something was done, or the specific measure taken;\n"
        "• a legal basis with the document's number (e.g. Decision No. 1234/QĐ-UBND);\n"
        "• or what the sender should do (which papers to bring, where to go, which number to call).\n\n"
        "Press “Send as a progress update” (the answer deadline keeps running), or reply to the card again "
        "with the concrete content."
    ),
    "claim.done": "You have claimed item {code}.",
    "ask.unreachable": "The sender erased their personal data, so the bot can no longer reach them.",
    "ask.sent": "✅ The question was sent to the sender of item {code}. The answer deadline is paused until they reply.",
    "prompt.ask": "{officer}, <b>reply to this message</b> with the question for the sender of item {code}. The bot sends it in the agency's name.",
    "prompt.consult": "{officer}, <b>reply to this message</b> with what you ask {agency} about item {code}.",
    "prompt.transfer": "{officer}, <b>reply to this message</b> with the reason item {code} is not yours and belongs to {agency}.",
    "prompt.progress": "{officer}, <b>reply to this message</b> with the progress update on item {code} for the sender.",
    "prompt.answer": "{officer}, <b>reply to this message</b> with the answer to item {code} (photos or files welcome). You will see a preview before it is sent.",
    "prompt.reject": "{officer}, <b>reply to this message</b> with the reason for not accepting item {code}. The sender is told; {supervisors} may review it.",
    "prompt.used": "This step is done. Use the buttons on the item card to do more.",
    "reply.unknown_copy": (
        "The bot could not take this reply: the message you replied to is an old copy. "
        "Please reply to the latest card of item {code} (the message quoted above)."
    ),
    "prompt.text_needed": "Please reply with text.",
    "choose.transfer": "{officer}, which agency is competent for item {code}? Choose below (page {page}/{pages}) or <b>reply to this message</b> with part of its name.",
    "choose.consult": "{officer}, which agency do you want to consult about item {code}? Choose below (page {page}/{pages}) or <b>reply to this message</b> with part of its name.",
    "choose.cancel": "✖️ Cancel",
    "choose.cancelled": "Cancelled.",
    "choose.chosen": "Chosen: <b>{agency}</b>.",
    "choose.own_agency": "📌 {agency} (the right agency, keep it)",
    "choose.kept_own_agency": (
        "📌 Item {code} stays with <b>{agency}</b>; this is not a transfer. That agency has no Telegram group yet, "
        "so its card is shown here for now. Once the administrator binds its group (<code>pakn agency bind-code {agency_code}</code>, "
        "then /bind with the code in that group), the card goes there by itself."
    ),
    "choose.not_found": "No agency matches “{query}”. Please type again or use the buttons.",
    "choose.matches": "Several agencies match, please choose (item {code}):",
    "consult.no_group": "{agency} has no Telegram group yet, so it cannot be consulted through the bot.",
    "consult.sent": "✅ {agency} was consulted about item {code}; its reply is due {due}. Your agency stays responsible.",
    "consult.card": (
        "🤝 <b>CONSULTATION – item {code}</b>\n"
        "<b>Lead agency:</b> {lead}\n"
        "<b>Category:</b> {category}\n"
        "<b>Locality:</b> {locality}\n"
        "<b>Reply due:</b> {due}\n\n"
        "<b>Question:</b> {question}\n\n"
        "<b>The item:</b> {text}\n\n"
        "Officers, <b>reply to this message</b> with your agency's position. The lead agency stays responsible."
    ),
    "consult.card_answered": "\n\n✅ Position given by {officer} at {at}.",
    "consult.relayed": "🤝 <b>{agency}</b> gives its position on item {code} (officer {officer}):\n\n{text}",
    "consult.answer_sent": "✅ Your agency's position on item {code} was passed to the lead agency.",
    "preview.text": (
        "📝 <b>Preview of the answer to item {code}</b>\n\n{text}\n\n📎 Attachments: {count}\n\n"
        "The sender receives this in the agency's name. To attach more, reply to this message with photos or files."
    ),
    "preview.send_answer": "📨 Send answer",
    "preview.send_progress": "🕑 Send as a progress update",
    "preview.cancel": "✖️ Cancel",
    "preview.cancelled": "The draft answer was dropped.",
    "preview.only_files": "To attach something, reply to the preview with a photo or file. To change the text, cancel and reply to the card again.",
    "preview.file_added": "Attachment added ({count}).",
    "preview.sent_progress": "🕑 Progress update on item {code} sent to the sender:\n\n{text}",
    "preview.sent_answer": "✅ Answer to item {code} sent to the sender ({officer}, at {at}):\n\n{text}",
    "progress.sent": "✅ Progress update on item {code} sent to the sender. The answer deadline keeps running.",
    "reject.done": "Item {code} was not accepted. The sender was told why; {supervisors} will review it.",
    "transfer.done": "↪️ Item {code} was transferred to {agency}. Deadlines stay as they were.",
    "transfer.disputed": (
        "⚖️ Item {code} was <b>not transferred</b> to {agency}: it has been transferred once already, or "
        "that agency already had it. {supervisors} will decide who is responsible; the deadline keeps running."
    ),
    "card.transferred_away": "\n\n↪️ <b>Transferred to {agency}</b> at {at}. Reason: {reason}\nThis group no longer acts on the item.",
    "card.moved_to_new_group": "\n\n📨 <b>This item went to the newly bound group of {agency}</b> at {at}. This group no longer acts on it.",
    "card.decided_away": "\n\n⚖️ <b>{supervisors} gave this item to {agency}.</b> This group no longer acts on it.",
    "relay.citizen_answer": "📩 The sender replied with more information on item {code} (the answer deadline runs again):\n\n{text}",
    "relay.citizen_added": "📩 The sender added information to item {code}:\n\n{text}",
    "relay.rated_satisfied": "😊 The sender is satisfied with the answer to item {code}. The item is finished.",
    "relay.reopened": "😞 The sender is not satisfied with the answer to item {code}. It is reopened; new answer deadline {text}. Please claim it again.",
    "relay.rating_comment": "💬 The sender's comment on the answer to item {code}:\n\n{text}",
    "relay.withdrawn": "The sender withdrew item {code}. No further handling is needed.",
    "history.ask_code": "Type /history with the tracking code, e.g. /history PA-7K3Q9M",
    "history.not_here": "An item's history can only be seen in its agency's group or the supervisors' group.",
    "publication.ask_code": "Type /notpublic with the tracking code to keep an item off the public pages for good, e.g. /notpublic PA-7K3Q9M",
    "publication.not_here": "Only the agency handling the item or the supervisors' group can mark this item.",
    "publication.done": "🔒 Item {code} will never be published on the public pages.",
    "publication.already": "Item {code} is already marked as not public.",
    "history.header": "📜 <b>History of item {code}</b> (now: {state})",
    "history.line": "• {at} – {actor}: {action}{states}",
    "history.states": " [{before} → {after}]",
    "history.reason": "\n   Reason: {reason}",
    "history.content": "\n   Content: {text}",
    "history.requested_agency": "\n   Transfer requested to: {agency}",
    "history.to_agency": "\n   To: {agency}",
    "history.decided_agency": "\n   Responsible agency: {agency}",
    "history.actor.citizen": "The sender",
    "history.actor.system": "System",
    "history.actor.administrator": "Administrator",
    "history.actor.supervisor": "{name} ({group})",
    "history.actor.officer": "{name} ({agency})",
    "history.action.submitted": "submitted",
    "history.action.routed": "routed to the competent agency",
    "history.action.claimed": "claimed",
    "history.action.asked_citizen": "asked the sender",
    "history.action.citizen_replied": "the sender replied as asked",
    "history.action.citizen_added_information": "the sender added information",
    "history.action.consultation_requested": "consulted another agency",
    "history.action.consultation_answered": "gave a consultation position",
    "history.action.transferred": "transferred",
    "history.action.transfer_disputed": "transfer not carried out; waiting for a decision on the responsible agency",
    "history.action.dispute_decided": "decided the responsible agency",
    "history.action.progress_update": "progress update",
    "history.action.answered": "answered",
    "history.action.rejected": "not accepted",
    "history.action.rejection_reversed": "reinstated the rejected item",
    "history.action.rejection_upheld": "upheld the rejection",
    "history.action.rated_satisfied": "the sender is satisfied",
    "history.action.reopened_not_satisfied": "the sender is not satisfied; handled again",
    "history.action.rating_comment": "the sender's comment on the answer",
    "history.action.withdrawn": "withdrawn by the sender",
    "history.action.auto_closed": "finished automatically: the sender did not rate the answer",
    "history.action.urged": "urged action",
    "history.action.reassigned": "gave the item to another agency",
    "history.action.extended": "extended the answer deadline",
    "history.action.flagged_for_review": "flagged it for a review of responsibility",
    "history.action.escalation.claim_group": "reminded the agency's group to claim it",
    "history.action.escalation.claim_leaders": "told the agency's leaders nobody has claimed it",
    "history.action.escalation.due_soon": "reminded that the answer is due soon",
    "history.action.escalation.overdue": "told the agency's leaders and the sender: answer overdue",
    "history.action.escalation.supervisors": "reported to the supervisors' group: answer overdue",
    "history.action.escalation.consultation_due_soon": "reminded that a consultation opinion is due soon",
    "history.action.escalation.consultation_overdue": "told the consulted agency's leaders: consultation opinion overdue",
    "history.action.citizen_unreachable": "messages cannot reach the sender (the sender blocked the bot)",
    "history.action.citizen_reachable": "messages reach the sender again",
    "history.action.card_moved_to_new_group": "posted the card in the agency's newly bound Telegram group",
    "history.action.personal_data_erased": "the sender erased their personal data; the item is anonymous",
    "history.action.refused": "action not carried out",
    "history.refusal.wrong_state": "the item's state does not allow it",
    "history.refusal.already_claimed": "already claimed",
    "history.refusal.not_claimed": "nobody has claimed the item",
    "history.refusal.transfer_window_closed": "the transfer window has closed",
    "history.refusal.same_agency": "the agency chosen already holds the item",
    "history.refusal.unknown_agency": "the agency is not in the directory",
    "history.refusal.reason_required": "no reason given",
    "history.refusal.no_substance": "the answer had no concrete content",
    "history.refusal.extension_used": "already extended once",
    "history.refusal.extension_too_long": "the new date is too far away",
    "history.refusal.text_required": "no text given",
    "history.refusal.responsibility_decided": "the responsible agency was already decided",
    "history.refusal.already_answered": "already answered",
    "history.refusal.extension_too_early": "the new date is not after the current deadline",
    "history.refusal.already_flagged": "already flagged for review",
    "history.refusal.urged_recently": "urged only recently",
    "history.refusal.stale_button": "an outdated button was pressed",
    "history.refusal.not_your_prompt": "another officer started this step",
    "history.refusal.citizen_unreachable": "the sender cannot be reached",
    "history.refusal.consulted_agency_has_no_group": "the consulted agency has no Telegram group",
    "history.refusal.not_authorised": "the person was not authorised in this group",
    "history.refusal.other": "the action was not valid",
    "history.action.marked_never_public": "marked as never public",
    # --- supervisor ---
    "dispute.card": (
        "⚖️ <b>DISPUTED RESPONSIBILITY – item {code}</b>\n"
        "<b>Category:</b> {category}\n"
        "<b>Locality:</b> {locality}\n"
        "<b>Agency holding it:</b> {holder}\n"
        "<b>Transfer requested to:</b> {requested} (officer {officer})\n"
        "<b>Reason:</b> {reason}\n"
        "<b>Agencies that had it before:</b> {previous}\n"
        "<b>Why a decision is needed:</b> {why}\n"
        "<b>Answer deadline (unchanged):</b> {deadline}\n\n"
        "{text}\n\n"
        "Choose the responsible agency. The decision is final for this item."
    ),
    "dispute.why_back": "a transfer back to an agency that already had the item",
    "dispute.why_second": "the item has already been transferred once",
    "dispute.choose": "➡️ Give to {agency}",
    "dispute.other_agency": "🔎 Another agency",
    "dispute.rule_off": "☐ Save as the routing rule for this category and locality",
    "dispute.rule_on": "☑️ Save as the routing rule for this category and locality",
    "dispute.back": "↩️ Back",
    "dispute.choose_any": "\n\n🔎 Choose any agency below, or reply to this card with part of its name.",
    "dispute.matches": "Agencies matching the name typed (item {code}):",
    "dispute.decided": "\n\n✅ <b>Decided:</b> {agency} is responsible ({supervisor}, at {at}).",
    "dispute.rule_saved": "\n📌 Saved as a routing rule: items of the same category and locality go straight to this agency.",
    "dispute.told_agency": "⚖️ {supervisors} decided: <b>{agency}</b> is responsible for item {code}. The decision is final; answer deadline: {deadline}.",
    "alert.not_satisfied": (
        "⚠️ <b>The sender is not satisfied</b> with the answer of {agency} to item {code}.\n"
        "The item was reopened for that agency; new answer deadline: {deadline}.\n\n"
        "<b>Previous answer:</b> {answer}"
    ),
    "review.card": (
        "🚫 <b>ITEM NOT ACCEPTED – {code}</b>\n"
        "<b>Agency:</b> {agency} (officer {officer})\n"
        "<b>Category:</b> {category}\n"
        "<b>Reason:</b> {reason}\n\n"
        "{text}\n\n"
        "Review: if the rejection was wrong, press “Reinstate” and the agency handles it (the deadline does not restart)."
    ),
    "review.reverse": "↩️ Reinstate",
    "review.uphold": "✔️ Uphold",
    "review.reversed": "\n\n↩️ <b>Reinstated</b> ({supervisor}, at {at}); the item is back with its agency.",
    "review.upheld": "\n\n✔️ <b>Rejection upheld</b> ({supervisor}, at {at}).",
    "review.told_agency": "↩️ {supervisors} reinstated item {code}: your agency handles it. Answer deadline: {deadline}.",
    "slip.title": "CONTROL SLIP: HANDLING OF FEEDBACK AND PETITIONS",
    "slip.particulars": (
        "Tracking code: {code}\n"
        "Kind: {kind}\n"
        "Category: {category}\n"
        "Locality: {locality}\n"
        "Sender: {sender}\n"
        "Contact: {contact}\n"
        "Received at: {received_at}\n"
        "Responsible agency: {agency}\n"
        "State: {state}\n"
        "Claim due: {claim_due}\n"
        "Transfer window: {transfer_window}\n"
        "Answer due: {answer_due}\n"
        "Officer in charge: {claimed_by}\n"
        "Transfers: {transfers}; agencies that had it: {previous}\n"
        "Responsibility decided at: {decided}\n"
        "Answered at: {answered_at}\n"
        "Sender's rating: {rating}\n"
        "Finished at: {closed_at}\n"
        "Attachments: {attachments}"
    ),
    "slip.sender_individual": "an individual (identity protected)",
    "slip.sender_business": "business {name} (tax code {tax_code})",
    "slip.contact_consented": "{contact} (shared with consent at {at})",
    "slip.contact_none": "not given",
    "slip.rating.satisfied": "satisfied",
    "slip.rating.not_satisfied": "not satisfied",
    "slip.content": "CONTENT:",
    "slip.consultations": "CONSULTATIONS:",
    "slip.consultation": "- {agency}: asked at {asked_at}, due {due}\n  Question: {question}\n  Position: {answer} (at {answered_at})",
    "slip.not_answered": "no position yet",
    "slip.history": "HANDLING ({count} {count:p/event/events}):",
    # --- scheduler ---
    "ladder.officer": "Officer in charge: {officer}.",
    "ladder.unclaimed": "Nobody has claimed the item yet.",
    "ladder.claim_group": "⏰ <b>PLEASE CLAIM</b>\nItem {code} ({category}) has not been claimed; claim deadline: {claim_deadline}, now passed.\nPlease have an officer press “✋ Claim” on the item card. Answer due to the sender: {due}.",
    "ladder.claim_leaders_group": "📣 Item {code} ({category}) is still unclaimed (claim deadline: {claim_deadline}). The bot has reported it to the agency's leaders: {leaders}.",
    "ladder.claim_leaders_group.no_leaders": "📣 Item {code} ({category}) is still unclaimed (claim deadline: {claim_deadline}).\nThe directory lists no leaders for {agency}, so the bot could not report it to them. Please ask the administrator to add the leaders to the directory.",
    "ladder.claim_leaders_direct": "📣 Dear {leader},\nItem {code} ({category}) sent to {agency} has not been claimed; claim deadline: {claim_deadline}, now passed. Please have it assigned. Answer due to the sender: {due}.",
    "ladder.due_soon": "⏳ <b>DUE SOON</b>\nItem {code} ({category}) must be answered {deadline}. {officer_line}",
    "ladder.overdue_group": "🔴 <b>OVERDUE</b>\nItem {code} ({category}) is overdue (answer due: {due}). {officer_line}\nThe bot has reported it to the agency's leaders ({leaders}) and told the sender. Please answer without delay.",
    "ladder.overdue_group.no_leaders": "🔴 <b>OVERDUE</b>\nItem {code} ({category}) is overdue (answer due: {due}). {officer_line}\nThe bot has told the sender. The directory lists no leaders for {agency}, so the bot could not report it to them; please ask the administrator to add them. Please answer without delay.",
    "ladder.overdue_direct": "🔴 Dear {leader},\nItem {code} ({category}) handled by {agency} is overdue (answer due: {due}). {officer_line} Please see that it is resolved.",
    "ladder.overdue_citizen": "Your item {code} is overdue (answer due: {due}). {agency} sincerely apologises for the delay.\nIt has been reported to the leaders of {agency}; if it stays late, {supervisors} will urge them. You will get the answer through this bot.",
    "ladder.consultation_due_soon": "⏳ <b>OPINION DUE SOON</b>\n{lead_agency} asked {agency} for its opinion on item {code}, due {deadline}. Please reply to the consultation card.",
    "ladder.consultation_overdue_group": "🔴 <b>OPINION OVERDUE</b>\n{agency} has not given its opinion on item {code} (opinion due: {due}). The bot has reported it to the agency's leaders: {leaders}. Please reply to the consultation card now.",
    "ladder.consultation_overdue_group.no_leaders": "🔴 <b>OPINION OVERDUE</b>\n{agency} has not given its opinion on item {code} (opinion due: {due}). The directory lists no leaders for {agency}, so the bot could not report it to them; please ask the administrator to add them. Please reply to the consultation card now.",
    "ladder.consultation_overdue_direct": "🔴 Dear {leader},\n{agency} has not given the opinion {lead_agency} asked for on item {code}; opinion due: {due}, now passed. Please see that it is given.",
    "ladder.line.claim_group": "⏰ {code}: not claimed (claim deadline: {claim_deadline})",
    "ladder.line.claim_leaders": "📣 {code} ({agency}): still not claimed",
    "ladder.line.due_soon": "⏳ {code}: answer due soon, {deadline}",
    "ladder.line.overdue": "🔴 {code} ({agency}): overdue (answer due: {due})",
    "ladder.line.overdue_citizen": "🔴 {code}: overdue (answer due: {due}); reported to the leaders of {agency}",
    "ladder.line.supervisors": "🚨 {code} ({agency}): overdue (answer due: {due})",
    "ladder.line.consultation_due_soon": "⏳ {code}: consultation opinion due soon, {deadline}",
    "ladder.line.consultation_overdue": "🔴 {code} ({agency}): consultation opinion overdue (opinion due: {due})",
    "ladder.digest": "📋 <b>REMINDERS</b> ({count} {count:p/notice/notices}, combined into one message):",
    "ladder.digest_more": "… and {count} more.",
    "ladder.digest_cards_hint": "Press a button below to open an item's card, or send /overdue for the overdue list.",
    "ladder.digest_open_card": "🚨 Open card {code}",
    "auto_close.citizen": "Item {code} was answered on {answered_at} but not rated, so it was finished automatically after {days} {days:p/day/days}. If the problem remains, you can send a new item with /new.",
    "summary.header": "📊 <b>DAILY REPORT {date}</b>\nFrom {since} to {until}:\n• New items: {received}\n• Answered: {answered}\n• Overdue now: {overdue}\n• Disputed transfers waiting for a decision: {disputes}{dispute_codes}\n• Flagged for review of responsibility: {flagged}{flagged_codes}\n• Senders who cannot be reached: {unreachable}{unreachable_codes}\n• Reported up as beyond an agency's authority: {referred}{referred_codes}; waiting for a decision: {referrals_waiting}{waiting_codes}",
    "summary.codes": " ({codes})",
    "summary.agencies": "<b>Transfers and disputes by agency (last {days} {days:p/day/days})</b>",
    "summary.agency_line": "• {agency}: {handled} {handled:p/item/items}, {transferred} transferred out ({share}%), {disputes} {disputes:p/dispute/disputes}",
    "summary.no_agencies": "• No items in the last {days} {days:p/day/days}.",
    "report.not_here": "/report works in the supervisors' group (every agency) or in an agency's own group (that agency's report).",
    "report.usage": "I could not read the period. You can type:\n• /report – last month\n• /report tuần – last week\n• /report 2026-11 – November 2026\n• /report 2026-11-01 2026-11-15 – from 1 November to the end of 15 November 2026\nA period is at most a year long and cannot start after today.",
    "report.title": "REPORT ON FEEDBACK AND PETITIONS – {province}",
    "report.title_agency": "REPORT ON FEEDBACK AND PETITIONS – {agency}",
    "report.period_month": "{month:02d}/{year}",
    "report.period_week": "WEEK {first} – {last}",
    "report.period_range": "{first} TO {last}",
    "report.subtitle": "Period: {first} – {last}. Figures as of {as_of}. Made at {generated}.",
    "report.summary_header": "📊 <b>REPORT {period}</b>\n{scope}\nPeriod: {first} – {last} (figures as of {as_of})",
    "report.summary_figures": "• Received: {received}\n• On time: {on_time} · Late: {late} · Overdue: {overdue} · Not yet due: {not_yet_due}\n• On-time rate: {rate}\n• Time to answer (working days): median {median}, 90% within {p90}\n• Transferred out: {transferred} · Disputes: {disputes} (lost: {lost}) · Rejections: {rejections} (reversed: {reversed})\n• Consultations asked: {consultations} (late: {consultations_late}, unanswered: {consultations_open})\n• Extensions: {extensions} · Reopened as not satisfied: {reopened} · Satisfied: {satisfaction} ({rated} ratings)\n• Citizens who cannot be reached: {unreachable}\n• Items overdue now (any period): {overdue_total}",
    "report.ranking_header": "<b>Ranking by on-time rate</b> (agencies with at least {min_items} items):",
    "report.ranking_line": "{rank}. {agency} – {rate} on time, {overdue} overdue",
    "report.ranking_none": "No agency has the {min_items} items needed to be ranked.",
    "report.unranked": "Not ranked (fewer than {min_items} items): {agencies}",
    "report.often_header": "⚠️ <b>Agencies often overdue</b> (overdue at the end of at least {periods} of the last {window} months):",
    "report.often_line": "• {agency} – overdue items at each month end: {counts} – Head: {leaders}",
    "report.often_no_leaders": "not listed in the directory",
    "report.attachments": "The chart and the detailed workbook follow.",
    "report.not_available": "—",
    "report.province_row": "Whole {province_kind}",
    "report.scope_total": "Total",
    "report.chart_agencies": "Items by agency – {period}",
    "report.chart_weeks": "On-time rate by week – {scope}",
    "report.chart_rate_axis": "On-time rate (%)",
    "report.chart_items_axis": "Items",
    "report.chart_no_data": "No items in the period",
    "report.sheet.agencies": "By agency",
    "report.sheet.officers": "By officer",
    "report.sheet.overdue": "Overdue items",
    "report.sheet.transfers": "Transfers and disputes",
    "report.sheet.consultations": "Consultations",
    "report.overdue_cut": "The list shows {shown} of {total} overdue items (earliest deadline first).",
    "report.col.rank": "Rank",
    "report.col.agency_code": "Agency code",
    "report.col.agency": "Agency",
    "report.col.received": "Received",
    "report.col.on_time": "On time",
    "report.col.late": "Late",
    "report.col.not_yet_due": "Not yet due",
    "report.col.overdue": "Overdue",
    "report.col.on_time_rate": "On-time rate",
    "report.col.median_days": "Median time to answer (working days)",
    "report.col.p90_days": "90th percentile time to answer (working days)",
    "report.col.handled": "Items held",
    "report.col.transferred_out": "Transferred out",
    "report.col.transferred_share": "Share transferred out",
    "report.col.disputes_raised": "Disputes raised",
    "report.col.disputes_lost": "Disputes lost",
    "report.col.rejections": "Rejections",
    "report.col.rejections_reversed": "Rejections reversed",
    "report.col.consultations_asked": "Consultations asked",
    "report.col.consultations_on_time": "Consultations answered on time",
    "report.col.consultations_late": "Consultations answered late",
    "report.col.consultations_open": "Consultations unanswered",
    "report.col.extensions": "Extensions",
    "report.col.reopened": "Reopened as not satisfied",
    "report.col.rated": "Ratings",
    "report.col.satisfaction_rate": "Satisfaction rate",
    "report.col.unreachable": "Citizens who cannot be reached",
    "report.col.officer": "Officer",
    "report.col.officer_received": "Items claimed",
    "report.col.code": "Code",
    "report.col.category": "Category",
    "report.col.locality": "Locality",
    "report.col.received_at": "Received",
    "report.col.answer_due_at": "Answer due",
    "report.col.days_overdue": "Working days overdue",
    "report.col.officer_handling": "Officer",
    "report.col.leaders": "Head",
    "report.col.month_end": "Overdue at the end of {month}",
    "report.col.overdue_at": "Overdue on {date}",
    # --- supervision ---
    "escalation.card": (
        "🚨 <b>OVERDUE BY {days} {days:p/WORKING DAY/WORKING DAYS} – {code}</b>\n"
        "<b>Kind:</b> {kind}\n"
        "<b>Category:</b> {category}\n"
        "<b>Locality:</b> {locality}\n"
        "<b>Responsible agency:</b> {agency}\n"
        "<b>Received:</b> {received}\n"
        "<b>Answer due:</b> {deadline}\n"
        "<b>Officer in charge:</b> {claimed}\n"
        "<b>Sender:</b> {citizen}\n\n"
        "{text}"
    ),
    "escalation.claimed_by": "{officer}",
    "escalation.not_claimed": "nobody has claimed it",
    "escalation.citizen_reachable": "reachable through the bot",
    "escalation.citizen_unreachable": "⚠️ cannot be reached through the bot (blocked the bot or erased their data)",
    "escalation.already_extended": "\n\n📅 The deadline was already extended once; it cannot be extended again.",
    "escalation.already_flagged": "\n🚩 Flagged for a review of responsibility.",
    "escalation.button.urge": "📣 Urge",
    "escalation.button.reassign": "🔀 Reassign",
    "escalation.button.extend": "📅 Extend",
    "escalation.button.flag": "🚩 Review responsibility",
    "escalation.not_open": "Item {code} is now {state}; this action no longer applies.",
    "overdue.none": "✅ No item is overdue (at {at}).",
    "overdue.header": "⏰ <b>Overdue items: {count}</b> (at {at})",
    "overdue.agency": "\n<b>{agency}</b> – {count} {count:p/item/items}",
    "overdue.line": "• {code} – {category} – {days} {days:p/working day/working days} overdue{flag}",
    "overdue.flagged": " 🚩",
    "overdue.more": "… and {count} more.",
    "overdue.flagged_header": "🚩 <b>Flagged for a review of responsibility: {count}</b>",
    "overdue.flagged_line": "• {code} – {agency} – {state}",
    "overdue.not_here": "/overdue works only in the supervisors' group, for its members.",
    "urge.agency": (
        "📣 <b>{office} urges</b> action on item {code}: its answer is overdue ({deadline}).\n"
        "Please handle it without delay, answer the sender and post progress on the item card."
    ),
    "urge.awaiting_citizen": "The agency is waiting for the sender to add information (the answer clock is paused); there is nothing to urge yet.",
    "urge.done": "📣 {agency} was urged to handle item {code} ({supervisor}, at {at}).",
    "choose.reassign": "{officer}, which agency should handle item {code}? Choose below (page {page}/{pages}) or <b>reply to this message</b> with part of the agency's name.",
    "supervision.prompt.reassign": (
        "{supervisor}, <b>reply to this message</b> with the reason for giving item {code} to {agency}. "
        "The answer deadline stays; the new agency gets the card and the sender is told."
    ),
    "supervision.prompt.extend": (
        "{supervisor}, <b>reply to this message</b> with the new date and the reason for extending item {code}, "
        "on one line, e.g.:\n<code>{example} - Site inspection needs more time</code>\n"
        "A time may be added: <code>{example} 10:00 - reason</code>\n\n"
        "Current deadline: {deadline}. Latest new deadline: {latest}.\n"
        "The sender gets an apology with the reason and the new date. An item can be extended only once."
    ),
    "supervision.prompt.flag": (
        "{supervisor}, <b>reply to this message</b> with the reason for reviewing responsibility for the "
        "handling of item {code} ({agency})."
    ),
    "reassign.done": "🔀 Item {code} was given to {agency}. The answer deadline stays: {deadline}.",
    "card.reassigned_away": "\n\n🔀 <b>{supervisors} gave this item to {agency}</b> at {at}. Reason: {reason}\nThis group can no longer act on it.",
    "reassign.told_new_agency": (
        "🔀 {office} gives item {code} to your agency (previously with {from_agency}).\n"
        "<b>Reason:</b> {reason}\n"
        "⏰ The answer deadline does not restart: {deadline}. Please claim it now."
    ),
    "followup.reassigned": (
        "🔀 {supervisors} has given your item <code>{code}</code> to <b>{agency}</b>. "
        "They will answer you through this bot."
    ),
    "extend.bad_format": (
        "The new date could not be read. Please reply to the prompt like "
        "<code>{example} - reason for the extension</code> (day/month/year, optionally hour:minute)."
    ),
    "extend.done": "📅 Item {code} was extended to {until}. The sender got an apology with the new date; the agency was told.",
    "extend.told_agency": (
        "📅 {office} extends the answer deadline of item {code} <b>once and only once</b> to {until}.\n"
        "<b>Reason:</b> {reason}\nPlease answer the sender before the new deadline."
    ),
    "followup.extended": (
        "🙏 <b>An apology and a new answer date</b>\n\n"
        "Your {kind_lower} <code>{code}</code> was not answered on time. <b>{agency}</b> sincerely apologises "
        "for the delay.\n"
        "<b>Reason:</b> {reason}\n"
        "<b>New answer deadline:</b> {deadline}.\n\n"
        "Thank you for your patience. To add information, reply to this message."
    ),
    "flag.done": "🚩 Item {code} ({agency}) is flagged for a review of responsibility. It is listed in the reports and in /overdue.",
    "refused.extension_used": "This item was already extended once; a second extension is not allowed.",
    "refused.extension_too_long": "The new date is too far away: the latest is {latest} (no longer than the original answer time).",
    "refused.extension_too_early": "The new date must be after {earliest}; the latest is {latest}.",
    "refused.already_flagged": "This item is already flagged for a review of responsibility.",
    "refused.urged_recently": "This item was urged at {urged_at}; please give the agency time to respond.",
    # --- binding ---
    "bind.code_created": "Binding code for {agency}: {code} (expires {expires}). Send /bind {code} in the agency's Telegram group.",
    "bind.done": "✅ This group is now bound to <b>{agency}</b>. The agency's items will be posted here.",
    "bind.cards_moved": "📨 Open items of the agency now posted here, including those that waited in the triage group: {count}.",
    "bind.bad_code": "The binding code is wrong, used or expired. Please ask the administrator for a new one.",
    "bind.ask_code": "Send /bind with the code from the administrator, for example: /bind 48213057",
    "bind.already_bound": "This group is already bound to <b>{agency}</b>, so it cannot be bound to another agency. To change it, the administrator runs “pakn agency unbind {agency_code}” and issues a new code, or issues one with “pakn agency bind-code AGENCY_CODE --replace”.",
    "bind.locked": "Too many wrong binding codes. /bind is locked until {until}; the administrator has been notified in the log. Please ask the administrator for a new code.",
    "agency.this_group": "This group serves: <b>{agency}</b>.",
    "agency.supervisors": "This is the supervisors' group ({name}).",
    "agency.unbound": "This group is not bound to any agency. An administrator runs “pakn agency bind-code AGENCY_CODE” and then sends /bind CODE here.",
    # --- delivery ---
    # --- privacy ---
    "privacy.header": "<b>Your personal data stored by the system</b>",
    "privacy.identity": "• Telegram account (ID): {telegram_user_id}\n• Language: {language}\n• First contact: {first_seen}",
    "privacy.language_name": "English",
    "privacy.draft": "• One item being written, not sent yet.",
    "privacy.no_items": "\nYou have not sent any items.",
    "privacy.items_header": "\n<b>Items you sent ({count}):</b>",
    "privacy.item_line": "• {code} – {state} – sent {received_at}",
    "privacy.item_answered": "\n   Answered {answered_at}",
    "privacy.item_contact": "\n   Contact details: {contact} – you agreed to share them at {consent_at}, with this wording: “{wording}”",
    "privacy.item_location": "\n   Location you sent: {latitude}, {longitude}",
    "privacy.footer": (
        "\nThe content of your items and how they were handled are kept so that agencies can be held "
        "to account. If you delete your personal data, these items stay but are no longer linked to you."
    ),
    "privacy.nothing_stored": "The system stores no personal data about you.",
    "privacy.erase_button": "🗑 Delete my personal data",
    "privacy.confirm": (
        "Are you sure you want to delete your personal data?\n\n"
        "Your phone number, name, locations and Telegram account will be removed from {count} {count:p/item/items}, "
        "and the item you are writing and your account details will be deleted. The content of the items "
        "and their history stay, no longer linked to you, for oversight.\n\n"
        "Afterwards you <b>will no longer receive</b> notices or answers about these items through the bot. "
        "This cannot be undone."
    ),
    "privacy.confirm_button": "🗑 Delete",
    "privacy.keep_button": "Keep",
    "privacy.erased": "Your personal data has been deleted; {count} {count:p/item is/items are} now anonymous. To send a new item, type /new.",
    "privacy.erased_free_text": "Phone numbers, e-mail addresses and ID numbers you wrote in your items, additions and comments have been masked (***) too.",
    "privacy.kept": "Your data is unchanged.",
    # --- beyond an agency's authority: reported up to the supervisors (Dispatch 968 §1(h)) ---
    "card.button.beyond_authority": "⬆️ Beyond our authority: refer up",
    "prompt.beyond_authority": (
        "{officer}, <b>reply to this message</b>: what does item {code} need {supervisors} to decide, "
        "and why is it beyond the agency's authority (give the grounds)? The agency keeps the item; the answer clock runs on."
    ),
    "beyond_authority.sent": "⬆️ {supervisors} were asked to decide on item {code}. The agency keeps the item; the answer deadline is unchanged: {deadline}.",
    "beyond_authority.no_supervisors": "{supervisors} have no group to receive the request yet. Please tell the administrator.",
    "history.action.referred_up": "referred up as beyond the agency's authority",
    "history.action.referral_sent_back": "sent back by the supervisors with a directive",
    "referral.card": (
        "⬆️ <b>REFERRED UP</b> · item <code>{code}</code>\n"
        "<b>{agency}</b> reports a matter beyond its authority (officer: {officer}).\n"
        "<b>What is needed and why:</b> {text}\n"
        "<b>Answer due:</b> {deadline}\n\n"
        "<b>The item:</b> {item_text}"
    ),
    "referral.button.assign": "🔀 Assign another agency",
    "referral.button.answer": "✍️ Answer for {province}",
    "referral.button.send_back": "↩️ Send back with a directive",
    "referral.decided": "\n\n✔️ <b>{outcome}</b> · {supervisor}, {at}",
    "referral.outcome.assign": "Assigned to {agency}",
    "referral.outcome.answer": "Answered on behalf of {province}",
    "referral.outcome.send_back": "Sent back with a directive",
    "referral.already_decided": "This request has been dealt with already.",
    "refused.referral_outdated": "The item is now {state} or with another agency; this request no longer applies.",
    "choose.referral": "{officer}, which agency should handle item {code}? Choose below (page {page}/{pages}) or <b>reply to this message</b> with part of its name.",
    "referral.prompt.answer": (
        "{supervisor}, <b>reply to this message</b> with the answer to item {code} on behalf of {province}. "
        "It gets the same substance check as every answer before it goes to the sender."
    ),
    "referral.prompt.send_back": "{supervisor}, <b>reply to this message</b> with the directive to {agency} about item {code}.",
    "referral.assigned_reason": "Beyond the authority of {agency}: {text}",
    "referral.answered": "✍️ The sender of item {code} was answered on behalf of {province}.",
    "referral.answered_told_agency": "✍️ {office} answered the sender of item {code} on behalf of {province}:\n\n{text}",
    "referral.sent_back": "↩️ Item {code} was sent back to {agency} with a directive.",
    "referral.directive": (
        "↩️ {office} sends item {code} back for the agency to resolve.\n"
        "<b>Directive:</b> {text}\n<b>Answer due:</b> {deadline}"
    ),
    "followup.answer_by_province": "📬 <b>{supervisors}</b> answers your {kind_lower} <code>{code}</code> on behalf of {province}:\n\n{text}",
    "history.refusal.supervisors_have_no_group": "the supervisors have no group to receive it",
    "history.refusal.referral_decided": "the request had been dealt with already",
    "history.refusal.referral_outdated": "the request no longer applied",
}
