"""Vietnamese texts (the primary language). Keys are shared with en.py; placeholders use {name}."""

TEXTS: dict[str, str] = {
    # --- general ---
    "error.internal": "Xin lỗi, hệ thống đang gặp sự cố nên chưa xử lý được yêu cầu này. Dữ liệu của bạn không bị mất; vui lòng thử lại sau ít phút.",
    "error.text_too_long": "Nội dung dài quá {maximum} ký tự. Vui lòng rút gọn và gửi lại.",
    "error.unknown_command": "Bot không hiểu lệnh này. Gõ /help để xem các lệnh có thể dùng.",
    "error.button_outdated": "Nút này đã cũ, không còn dùng được. Vui lòng dùng thông tin mới nhất.",
    "error.button_invalid": "Nút bấm không hợp lệ.",
    "error.private_only": "Lệnh này chỉ dùng trong tin nhắn riêng với bot: {link}",
    "error.group_only": "Lệnh này chỉ dùng trong nhóm của cơ quan.",
    "error.unknown_code": "Không tìm thấy hồ sơ có mã {code}. Vui lòng kiểm tra lại mã (ví dụ: PA-7K3Q9M).",
    "error.code_missing": "Vui lòng ghi kèm mã hồ sơ, ví dụ: {example}",
    "sticker.ignored": "Bot chưa đọc được nhãn dán (sticker). Vui lòng gửi nội dung bằng chữ, ảnh hoặc tệp.",
    "edit.ignored": "Bot không nhận nội dung sửa lại của tin nhắn đã gửi. Nếu cần bổ sung, vui lòng gửi tin nhắn mới.",
    "language.changed": "Đã chuyển sang tiếng Việt.",
    # --- citizen ---
    "start.welcome": (
        "Xin chào! Đây là kênh tiếp nhận <b>phản ánh, kiến nghị</b> của người dân và doanh nghiệp "
        "trên địa bàn {province}.\n\n"
        "• Bạn gửi phản ánh (báo một việc chưa ổn: đường hỏng, thủ tục bị làm sai…) hoặc kiến nghị "
        "(đề xuất cơ quan nhà nước làm hoặc sửa một việc).\n"
        "• Bot chuyển đến đúng cơ quan có trách nhiệm; bạn nhận mã hồ sơ và hạn trả lời.\n"
        "• Cơ quan trả lời qua bot; bạn không cần biết cơ quan nào có thẩm quyền.\n\n"
        "<b>Không tiếp nhận khiếu nại, tố cáo</b> qua kênh này. Khiếu nại, tố cáo được gửi theo Luật "
        "Khiếu nại, Luật Tố cáo tới Ban Tiếp công dân tỉnh, cơ quan thanh tra hoặc trực tiếp cơ quan "
        "có thẩm quyền giải quyết.\n\n"
        "Chọn việc bạn muốn làm:"
    ),
    "menu.submit": "✍️ Gửi phản ánh, kiến nghị",
    "menu.my_items": "📋 Hồ sơ của tôi",
    "menu.help": "❓ Hướng dẫn",
    "menu.language": "🌐 English",
    "help.citizen": (
        "Các lệnh:\n"
        "/new – gửi phản ánh, kiến nghị mới\n"
        "/status MÃ – xem trạng thái và hạn trả lời của một hồ sơ\n"
        "/my – danh sách hồ sơ của bạn\n"
        "/add MÃ – bổ sung thông tin cho hồ sơ đang xử lý\n"
        "/withdraw MÃ – rút hồ sơ\n"
        "/mydata – xem hoặc xoá dữ liệu cá nhân của bạn\n"
        "/cancel – huỷ thao tác đang làm\n"
        "/language – đổi ngôn ngữ (Tiếng Việt / English)"
    ),
    "group.citizen_command": "Lệnh này dành cho người dân, vui lòng nhắn riêng cho bot: {link}",
    "submit.cancelled": "Đã huỷ. Nội dung chưa được gửi. Gõ /new khi bạn muốn gửi lại.",
    "submit.nothing_to_cancel": "Không có thao tác nào đang làm dở.",
    "submit.resume": "Bạn đang gửi dở một hồ sơ. Tiếp tục từ bước đang làm:",
    "submit.ask_kind": "Bước 1/7. Bạn muốn gửi:",
    "kind.feedback": "Phản ánh",
    "kind.petition": "Kiến nghị",
    "kind.feedback.hint": "Phản ánh – báo một việc chưa ổn",
    "kind.petition.hint": "Kiến nghị – đề xuất cơ quan làm hoặc sửa một việc",
    "submit.ask_sender": "Bước 2/7. Bạn gửi với tư cách:",
    "sender.individual": "👤 Cá nhân",
    "sender.business": "🏢 Doanh nghiệp",
    "submit.ask_business_name": "Tên doanh nghiệp là gì? (có thể bấm Bỏ qua)",
    "submit.ask_tax_code": "Mã số thuế của doanh nghiệp? (10 hoặc 13 chữ số, có thể bấm Bỏ qua)",
    "submit.bad_tax_code": "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (ví dụ 4600123456-001). Vui lòng nhập lại hoặc bấm Bỏ qua.",
    "submit.ask_category": "Bước 3/7. Nội dung thuộc lĩnh vực nào? (trang {page}/{pages})",
    "submit.ask_locality": (
        "Bước 4/7. Việc này xảy ra ở phường, xã nào?\n"
        "Gõ tên (có dấu hoặc không dấu đều được, ví dụ: <i>phan dinh phung</i>), "
        "hoặc bấm nút để gửi vị trí."
    ),
    "submit.locality_choose": "Chọn đúng phường, xã:",
    "submit.locality_not_found": "Không tìm thấy phường, xã nào khớp với “{query}”. Vui lòng gõ lại tên khác, hoặc bấm “Không rõ địa bàn”.",
    "submit.locality_unknown_button": "Không rõ địa bàn",
    "submit.share_location_button": "📍 Gửi vị trí hiện tại",
    "submit.location_received": "Đã nhận vị trí. Nếu biết tên phường, xã, bạn gõ thêm để chuyển nhanh hơn; hoặc bấm “Không rõ địa bàn” để tiếp tục.",
    "submit.ask_description": "Bước 5/7. Mô tả cụ thể sự việc: ở đâu, khi nào, như thế nào, bạn đề nghị gì. Tối thiểu {minimum} ký tự, tối đa {maximum} ký tự.",
    "submit.description_too_short": "Nội dung hơi ngắn ({length} ký tự). Vui lòng mô tả cụ thể hơn, ít nhất {minimum} ký tự, để cơ quan xử lý được ngay.",
    "submit.description_too_long": "Nội dung dài {length} ký tự, vượt quá {maximum} ký tự. Vui lòng rút gọn; chi tiết có thể gửi kèm dưới dạng tệp ở bước sau.",
    "submit.ask_attachments": "Bước 6/7. Gửi kèm ảnh, tệp, ghi âm, video hoặc vị trí (tối đa {maximum}). Gửi xong bấm “Xong”, không có thì bấm “Bỏ qua”.",
    "submit.attachment_added": "Đã nhận {count}/{maximum} tệp đính kèm. Gửi tiếp hoặc bấm “Xong”.",
    "submit.attachment_limit": "Đã đủ {maximum} tệp đính kèm, không nhận thêm. Bấm “Xong” để tiếp tục.",
    "submit.attachment_too_big": "Tệp này lớn hơn {megabytes} MB nên không nhận được. Vui lòng gửi tệp nhỏ hơn.",
    "submit.attachment_expected": "Ở bước này, vui lòng gửi ảnh, tệp, ghi âm, video hoặc vị trí; hoặc bấm “Xong”.",
    "submit.done_button": "✅ Xong",
    "submit.skip_button": "Bỏ qua",
    "submit.ask_contact": (
        "Bước 7/7. Bạn có muốn cung cấp số điện thoại để cơ quan liên hệ khi cần không?\n\n{consent}"
    ),
    "submit.consent_wording": "Tôi đồng ý để cơ quan xử lý hồ sơ này được xem số điện thoại của tôi, chỉ để liên hệ về hồ sơ này.",
    "submit.share_contact_button": "📱 Đồng ý và chia sẻ số điện thoại",
    "submit.contact_not_own": "Vui lòng chia sẻ số điện thoại của chính bạn bằng nút bên dưới.",
    "submit.contact_received": "Đã nhận số điện thoại.",
    "submit.use_buttons": "Vui lòng chọn bằng các nút bên dưới, hoặc gõ /cancel để huỷ.",
    "submit.summary": (
        "Vui lòng kiểm tra lại trước khi gửi:\n\n"
        "<b>Loại:</b> {kind}\n"
        "<b>Người gửi:</b> {sender}\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Địa bàn:</b> {locality}\n"
        "<b>Nội dung:</b> {text}\n"
        "<b>Đính kèm:</b> {attachments}\n"
        "<b>Số điện thoại cho cơ quan:</b> {contact}"
    ),
    "submit.confirm_button": "📨 Gửi",
    "submit.edit_button": "✏️ Sửa",
    "submit.publication_line": "\n<b>Công khai trên trang web của tỉnh:</b> {choice}",
    "submit.publication_yes": "có (ẩn danh)",
    "submit.publication_no": "không",
    "submit.publication_button": "🌐 Công khai?",
    "submit.ask_publication": (
        "Bạn có đồng ý để nội dung phản ánh, kiến nghị và câu trả lời của cơ quan được đăng công khai "
        "trên trang web của tỉnh không?\n\n"
        "Trang web <b>không</b> hiện tên, số điện thoại, vị trí hay tài khoản Telegram của bạn; số điện "
        "thoại, e-mail và số giấy tờ trong nội dung được che đi. Nếu bạn không chọn, hồ sơ "
        "<b>không</b> được đăng công khai."
    ),
    "submit.publication_agree_button": "✅ Đồng ý công khai (ẩn danh)",
    "submit.publication_refuse_button": "🚫 Không công khai",
    "submit.cancel_button": "✖️ Huỷ",
    "submit.edit_what": "Bạn muốn sửa phần nào?",
    "submit.edit_kind": "Loại",
    "submit.edit_category": "Lĩnh vực",
    "submit.edit_locality": "Địa bàn",
    "submit.edit_description": "Nội dung",
    "submit.edit_attachments": "Đính kèm",
    "submit.edit_contact": "Số điện thoại",
    "submit.not_given": "không có",
    "submit.locality_unknown": "chưa rõ",
    "submit.location_only": "vị trí đã gửi (chưa rõ phường, xã)",
    "submit.received": (
        "✅ Đã tiếp nhận {kind_lower} của bạn.\n\n"
        "<b>Mã hồ sơ:</b> <code>{code}</code>\n"
        "<b>Cơ quan xử lý:</b> {agency}\n"
        "<b>Hạn trả lời:</b> {deadline}\n\n"
        "Dùng /status {code} để xem tiến độ. Muốn bổ sung thông tin, hãy trả lời (reply) tin nhắn này."
    ),
    "submit.rate_limited": "Bạn đã gửi {limit} hồ sơ trong một giờ qua. Để tránh quá tải, bạn có thể gửi tiếp sau {at}. Xin cảm ơn!",
    "submit.duplicate": "Nội dung này trùng với hồ sơ {code} bạn vừa gửi, nên không tạo hồ sơ mới. Dùng /status {code} để theo dõi.",
    "status.full": (
        "<b>Hồ sơ {code}</b> ({kind_lower})\n"
        "<b>Trạng thái:</b> {state}\n"
        "<b>Cơ quan xử lý:</b> {agency}\n"
        "<b>Hạn trả lời:</b> {deadline}{overdue}"
    ),
    "status.overdue_suffix": "\n⚠️ Đã quá hạn; hồ sơ đã được báo cáo lên cấp trên.",
    "status.other": "Hồ sơ {code}: {state}.",
    "status.ask_code": "Gõ /status kèm mã hồ sơ, ví dụ: /status PA-7K3Q9M",
    "my.empty": "Bạn chưa gửi hồ sơ nào. Gõ /new để gửi phản ánh, kiến nghị.",
    "my.header": "Hồ sơ của bạn (mới nhất trước):",
    "my.line": "• <code>{code}</code> – {category} – {state} – hạn {deadline}",
    "state.received": "đã tiếp nhận, chờ cơ quan nhận xử lý",
    "state.in_progress": "đang xử lý",
    "state.awaiting_citizen": "chờ bạn bổ sung thông tin",
    "state.answered": "đã trả lời",
    "state.closed": "đã kết thúc",
    "state.disputed": "đang chờ tỉnh quyết định cơ quan xử lý",
    "state.reopened": "đang xử lý lại",
    "state.rejected": "không được tiếp nhận",
    "state.withdrawn": "đã rút",
    # --- the public web pages (bot/web): anonymised, for anyone ---
    "web.site_title": "Phản ánh, kiến nghị – {province}",
    "web.skip_link": "Bỏ qua, đến nội dung chính",
    "web.nav_label": "Mục chính",
    "web.nav_home": "Số liệu",
    "web.nav_lookup": "Tra cứu hồ sơ",
    "web.nav_answered": "Đã trả lời",
    "web.switch_language": "English",
    "web.legal_note": (
        "Kênh này tiếp nhận phản ánh, kiến nghị, <strong>không tiếp nhận khiếu nại, tố cáo</strong>. "
        "Khiếu nại, tố cáo được gửi theo Luật Khiếu nại, Luật Tố cáo tới Ban Tiếp công dân tỉnh, cơ quan "
        "thanh tra hoặc trực tiếp cơ quan có thẩm quyền giải quyết."
    ),
    "web.privacy_note": "Trang này không hiện tên, số điện thoại, vị trí hay tài khoản của người gửi.",
    "web.home_heading": "Kết quả tiếp nhận và trả lời phản ánh, kiến nghị",
    "web.period": "{days} ngày qua",
    "web.received": "Đã tiếp nhận",
    "web.answered": "Đã trả lời",
    "web.on_time_rate": "Tỷ lệ trả lời đúng hạn",
    "web.overdue_now": "Đang quá hạn",
    "web.no_rate": "chưa có",
    "web.agency_table_caption": "Kết quả theo cơ quan, {days} ngày qua",
    "web.col_rank": "Hạng",
    "web.col_agency": "Cơ quan",
    "web.col_total": "Số hồ sơ",
    "web.col_on_time": "Đúng hạn",
    "web.col_late": "Trễ hạn",
    "web.col_overdue": "Quá hạn",
    "web.col_not_due": "Chưa đến hạn",
    "web.col_rate": "Tỷ lệ đúng hạn",
    "web.col_median_days": "Trung vị số ngày làm việc để trả lời",
    "web.not_ranked": "chưa xếp hạng",
    "web.ranking_note": "Chỉ xếp hạng cơ quan có từ {minimum} hồ sơ trở lên trong kỳ.",
    "web.chart_title": "Hồ sơ theo cơ quan và tình trạng hạn, {days} ngày qua",
    "web.chart_legend": "Chú thích",
    "web.no_data": "Chưa có hồ sơ trong khoảng thời gian này.",
    "web.generated_at": "Số liệu tính lúc {at}; cập nhật mỗi phút.",
    "web.lookup_heading": "Tra cứu hồ sơ",
    "web.lookup_label": "Mã hồ sơ",
    "web.lookup_hint": "Mã có trong tin nhắn xác nhận, ví dụ PA-7K3Q9M hoặc KN-7K3Q9M.",
    "web.lookup_button": "Tra cứu",
    "web.lookup_bad_code": "“{code}” không phải là mã hồ sơ. Mã có dạng PA-7K3Q9M hoặc KN-7K3Q9M.",
    "web.lookup_not_found": "Không tìm thấy hồ sơ có mã {code}. Vui lòng kiểm tra lại mã.",
    "web.item_heading": "Hồ sơ {code}",
    "web.item_kind": "Loại",
    "web.item_category": "Lĩnh vực",
    "web.item_state": "Tình trạng",
    "web.item_agency": "Cơ quan chịu trách nhiệm",
    "web.item_deadline": "Hạn trả lời",
    "web.item_steps": "Các bước xử lý",
    "web.item_answer": "Nội dung trả lời",
    "web.answer_not_public": "Nội dung trả lời không được công khai vì người gửi không đồng ý đăng công khai.",
    "web.overdue_badge": "quá hạn",
    "web.step_reason": "Lý do: {reason}",
    "web.step.submitted": "Tiếp nhận",
    "web.step.claimed": "Cơ quan nhận xử lý",
    "web.step.routed": "Chuyển đến cơ quan có thẩm quyền",
    "web.step.transferred": "Chuyển cơ quan xử lý",
    "web.step.dispute_decided": "Tỉnh quyết định cơ quan chịu trách nhiệm",
    "web.step.reassigned": "Tỉnh giao cơ quan khác xử lý",
    "web.step.extended": "Gia hạn trả lời",
    "web.step.answered": "Trả lời",
    "web.step.reopened_not_satisfied": "Người gửi chưa hài lòng, xử lý lại",
    "web.step.rated_satisfied": "Người gửi hài lòng",
    "web.step.rejected": "Không tiếp nhận",
    "web.step.withdrawn": "Người gửi rút hồ sơ",
    "web.state.received": "đã tiếp nhận, chờ cơ quan nhận xử lý",
    "web.state.in_progress": "đang xử lý",
    "web.state.awaiting_citizen": "chờ người gửi bổ sung thông tin",
    "web.state.answered": "đã trả lời",
    "web.state.closed": "đã kết thúc",
    "web.state.disputed": "đang chờ tỉnh quyết định cơ quan xử lý",
    "web.state.reopened": "đang xử lý lại",
    "web.state.rejected": "không được tiếp nhận",
    "web.state.withdrawn": "đã rút",
    "web.answered_heading": "Phản ánh, kiến nghị đã được trả lời",
    "web.answered_intro": (
        "Chỉ hiện hồ sơ mà người gửi đồng ý đăng công khai. Số điện thoại, e-mail và số giấy tờ "
        "trong nội dung đã được che."
    ),
    "web.answered_empty": "Chưa có hồ sơ nào được đăng công khai.",
    "web.question": "Nội dung",
    "web.answer": "Trả lời",
    "web.received_on": "Ngày gửi",
    "web.answered_on": "Ngày trả lời",
    "web.locality": "Địa bàn",
    "web.pages_label": "Phân trang",
    "web.page_of": "Trang {page}/{pages}",
    "web.previous": "← Trang trước",
    "web.next": "Trang sau →",
    "web.masked": "[đã che]",
    "web.not_found_title": "Không tìm thấy trang",
    "web.not_found_body": "Địa chỉ này không có trên trang. Bạn có thể tra cứu hồ sơ bằng mã hồ sơ.",
    "web.bad_request_title": "Yêu cầu không hợp lệ",
    "web.bad_request_body": "Tham số trong địa chỉ không hợp lệ. Vui lòng quay lại trang chủ.",
    "web.error_title": "Trang tạm thời không hiển thị được",
    "web.error_body": "Hệ thống đang bận. Vui lòng thử lại sau ít phút.",
    "open311.service_description": "{name}: phản ánh, kiến nghị về lĩnh vực này do {agency} xử lý.",
    "open311.group_by_locality": "UBND xã, phường nơi xảy ra sự việc",
    "open311.kind_attribute": "Loại: phản ánh (báo việc chưa ổn) hoặc kiến nghị (đề xuất cơ quan làm, sửa một việc)",
    "open311.locality_attribute": "Xã, phường nơi xảy ra sự việc (nếu biết)",
    "open311.consent_attribute": "Người gửi đồng ý để cơ quan xử lý xem thông tin liên hệ (true/false)",
    "open311.publication_attribute": "Người gửi đồng ý đăng công khai ẩn danh nội dung và câu trả lời (true/false)",
    "open311.key_service": "Mỗi kênh (cổng thông tin, tổng đài) được Văn phòng UBND tỉnh cấp một api_key.",
    "open311.yes": "Có",
    "open311.no": "Không",
    "open311.service_notice": "Mã hồ sơ {code}. Hạn trả lời: {deadline}.",
    "open311.consent_wording": "Người gửi đồng ý qua kênh {channel} để cơ quan xử lý xem thông tin liên hệ, chỉ để liên hệ về hồ sơ này.",
    "card.new": (
        "🆕 <b>{kind_upper} {code}</b>{urgent}\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Địa bàn:</b> {locality}\n"
        "<b>Người gửi:</b> {sender}\n"
        "<b>Liên hệ:</b> {contact}\n"
        "<b>Hạn nhận xử lý:</b> {claim_deadline}\n"
        "<b>Hạn trả lời:</b> {deadline}\n"
        "<b>Trạng thái:</b> {state}\n\n"
        "{text}"
    ),
    "card.urgent": " ⚡ KHẨN",
    "card.sender_individual": "cá nhân (danh tính được bảo vệ)",
    "card.sender_business": "doanh nghiệp {name}{tax_code}",
    "card.contact_hidden": "không cung cấp; liên hệ qua bot bằng nút “Hỏi thêm”",
    "card.contact_shown": "{phone} (người gửi đồng ý cung cấp lúc {consent_at})",
    "card.triage_note": "\n\nℹ️ Hồ sơ chuyển đến {agency} để phân loại vì: {why}.",
    "card.triage_why.triage": "chưa xác định được cơ quan có thẩm quyền",
    "card.triage_why.unbound": "{agency} chưa có nhóm Telegram",
    "card.attachments": "📎 {count} tệp đính kèm, gửi ngay bên dưới.",
    "card.claimed_by": "\n<b>Người xử lý:</b> {officer}",
    "card.channel": "\n<b>Kênh tiếp nhận:</b> {channel}",
    "card.contact_channel": "\n<b>Liên hệ (người gửi đồng ý):</b> {contact}",
    "followup.question": (
        "❓ <b>{agency}</b> cần bạn bổ sung thông tin cho hồ sơ <code>{code}</code>:\n\n{text}\n\n"
        "Vui lòng <b>trả lời (reply) tin nhắn này</b> bằng chữ, ảnh hoặc tệp. Trong thời gian chờ bạn bổ sung, "
        "thời hạn trả lời được tạm dừng."
    ),
    "followup.progress": "🕑 <b>{agency}</b> thông báo tiến độ xử lý hồ sơ <code>{code}</code>:\n\n{text}\n\nHạn trả lời: {deadline}.",
    "followup.answer": "📬 <b>{agency}</b> trả lời {kind_lower} <code>{code}</code> của bạn:\n\n{text}",
    "followup.rejected": (
        "Hồ sơ <code>{code}</code> không được tiếp nhận xử lý. Lý do {agency} đưa ra:\n\n{reason}\n\n"
        "Quyết định này sẽ được Văn phòng UBND tỉnh xem xét lại; nếu không đúng, hồ sơ sẽ được xử lý tiếp và bạn sẽ nhận được thông báo."
    ),
    "followup.transferred": (
        "↪️ Hồ sơ <code>{code}</code> đã được chuyển đến cơ quan có thẩm quyền: <b>{agency}</b>.\n"
        "Hạn trả lời không thay đổi: {deadline}."
    ),
    "followup.disputed": (
        "Hồ sơ <code>{code}</code> đang được Văn phòng UBND tỉnh xác định cơ quan chịu trách nhiệm xử lý. "
        "Hạn trả lời không thay đổi: {deadline}."
    ),
    "followup.dispute_decided": (
        "Văn phòng UBND tỉnh đã xác định <b>{agency}</b> chịu trách nhiệm xử lý hồ sơ <code>{code}</code>.\n"
        "Hạn trả lời: {deadline}."
    ),
    "followup.reinstated": (
        "Hồ sơ <code>{code}</code> đã được Văn phòng UBND tỉnh xem xét lại và giao <b>{agency}</b> tiếp tục xử lý. "
        "Hạn trả lời: {deadline}."
    ),
    "rate.ask": "Bạn có hài lòng với câu trả lời cho hồ sơ <code>{code}</code> không?",
    "rate.satisfied": "😊 Hài lòng",
    "rate.not_satisfied": "😞 Chưa hài lòng",
    "rate.done": "Bạn đã đánh giá câu trả lời hồ sơ <code>{code}</code>: {rating}.",
    "rate.already": "Hồ sơ này đã được đánh giá hoặc không còn chờ đánh giá.",
    "rate.thanks": "Cảm ơn bạn đã đánh giá. Hồ sơ <code>{code}</code> đã kết thúc.",
    "rate.reopened": (
        "Hồ sơ <code>{code}</code> đã được mở lại để <b>{agency}</b> xử lý tiếp. Hạn trả lời mới: {deadline}. "
        "Văn phòng UBND tỉnh đã được báo để theo dõi."
    ),
    "rate.ask_comment": "Bạn chưa hài lòng ở điểm nào? Nếu muốn, hãy <b>trả lời (reply) tin nhắn này</b> để cơ quan và Văn phòng UBND tỉnh biết (không bắt buộc).",
    "rate.comment_received": "Đã chuyển ý kiến của bạn về hồ sơ <code>{code}</code> đến cơ quan xử lý và Văn phòng UBND tỉnh.",
    "add.answered": "Hồ sơ <code>{code}</code> đã được trả lời. Nếu chưa hài lòng, bạn bấm “Chưa hài lòng” dưới câu trả lời để hồ sơ được xử lý lại.",
    "add.closed": "Hồ sơ <code>{code}</code> đã kết thúc nên không nhận thêm thông tin. Nếu có việc mới, gõ /new để gửi hồ sơ mới.",
    "add.empty": "Vui lòng gửi nội dung bằng chữ, ảnh hoặc tệp cho hồ sơ <code>{code}</code>.",
    "add.relayed": "✅ Đã chuyển thông tin bổ sung của bạn đến cơ quan xử lý hồ sơ <code>{code}</code>.",
    "add.ask_code": "Gõ /add kèm mã hồ sơ, ví dụ: /add PA-7K3Q9M",
    "add.ask_text": "Bạn muốn bổ sung gì cho hồ sơ <code>{code}</code>? Hãy <b>trả lời (reply) tin nhắn này</b> bằng chữ, ảnh hoặc tệp.",
    "withdraw.ask_code": "Gõ /withdraw kèm mã hồ sơ, ví dụ: /withdraw PA-7K3Q9M",
    "withdraw.not_open": "Hồ sơ <code>{code}</code> không còn đang xử lý nên không rút được.",
    "withdraw.confirm": "Bạn chắc chắn muốn rút hồ sơ <code>{code}</code>? Cơ quan sẽ dừng xử lý và việc rút không hoàn tác được.",
    "withdraw.yes": "Rút hồ sơ",
    "withdraw.no": "Không rút",
    "withdraw.kept": "Hồ sơ <code>{code}</code> vẫn được xử lý bình thường.",
    "withdraw.done": "Đã rút hồ sơ <code>{code}</code>. Cơ quan xử lý đã được thông báo.",
    # --- officer ---
    "auth.not_agency_group": "Nhóm này không phải nhóm xử lý của cơ quan phụ trách hồ sơ, nên không thao tác được ở đây.",
    "auth.not_member": "Chỉ thành viên của nhóm cơ quan mới được thao tác trên hồ sơ này.",
    "auth.not_on_roster": "Bạn chưa có trong danh sách cán bộ được phân công xử lý của cơ quan. Vui lòng liên hệ quản trị viên.",
    "auth.wrong_agency": "Hồ sơ này do cơ quan khác phụ trách; nhóm này không thao tác được.",
    "auth.not_supervisors_group": "Thao tác này chỉ thực hiện được trong nhóm giám sát của tỉnh.",
    "card.button.claim": "✋ Nhận xử lý",
    "card.button.ask": "❓ Hỏi thêm người gửi",
    "card.button.consult": "🤝 Xin ý kiến phối hợp",
    "card.button.progress": "🕑 Cập nhật tiến độ",
    "card.button.answer": "✅ Trả lời",
    "card.button.transfer": "↪️ Không thuộc thẩm quyền",
    "card.button.reject": "🚫 Từ chối tiếp nhận",
    "auth.triage_routes_only": "Nhóm phân loại chỉ chuyển hồ sơ này đến cơ quan có thẩm quyền; các thao tác khác do cơ quan phụ trách thực hiện.",
    "auth.not_your_prompt": "Bước này do cán bộ khác bắt đầu; chỉ người đó hoàn tất được. Bạn có thể bấm nút trên thẻ hồ sơ để tự làm.",
    "refused.wrong_state": "Hồ sơ đang ở trạng thái “{state}”, không thực hiện được thao tác này.",
    "refused.claim_first": "Hồ sơ chưa có người nhận xử lý. Vui lòng bấm “Nhận xử lý” trước.",
    "refused.already_claimed": "Hồ sơ đã được {officer} nhận xử lý.",
    "refused.not_claimed": "Hồ sơ chưa có người nhận xử lý.",
    "refused.transfer_window_closed": "Đã hết thời hạn chuyển hồ sơ ({ended_at}). Cơ quan tiếp tục chịu trách nhiệm; có thể xin ý kiến phối hợp.",
    "refused.same_agency": "Hồ sơ đang thuộc chính cơ quan này; vui lòng chọn cơ quan khác.",
    "refused.unknown_agency": "Không tìm thấy cơ quan này trong danh mục.",
    "refused.reason_required": "Vui lòng ghi rõ lý do.",
    "refused.text_required": "Vui lòng nhập nội dung.",
    "refused.responsibility_decided": "Văn phòng UBND tỉnh đã quyết định cơ quan chịu trách nhiệm hồ sơ này; không chuyển tiếp được nữa.",
    "refused.already_answered": "Nội dung này đã được trả lời rồi.",
    "refused.no_substance.too_short": "Nội dung quá ngắn nên chưa được gửi; cần nêu rõ kết quả hoặc ý kiến cụ thể.",
    "refused.no_substance.only_holding_phrase": "Nội dung mới là lời hẹn xem xét, chưa phải kết quả hay ý kiến cụ thể, nên chưa được gửi.",
    "answer.no_substance_explained.too_short": (
        "⚠️ Câu trả lời quá ngắn nên chưa được gửi. Người dân cần biết cơ quan đã làm gì, kết quả thế nào "
        "hoặc căn cứ nào để trả lời. Vui lòng trả lời lại thẻ hồ sơ với nội dung đầy đủ, hoặc bấm "
        "“Gửi như cập nhật tiến độ” (thời hạn trả lời vẫn tính)."
    ),
    "answer.no_substance_explained.only_holding_phrase": (
        "⚠️ Nội dung mới là lời hẹn (“đã tiếp nhận, sẽ xem xét”, “đang xử lý”…), chưa phải câu trả lời nên "
        "không kết thúc được hồ sơ. Có thể bấm “Gửi như cập nhật tiến độ” (thời hạn trả lời vẫn tính), "
        "hoặc trả lời lại thẻ hồ sơ với kết quả xử lý cụ thể."
    ),
    "claim.done": "Bạn đã nhận xử lý hồ sơ {code}.",
    "ask.unreachable": "Người gửi đã xoá dữ liệu cá nhân nên bot không còn liên hệ được.",
    "ask.sent": "✅ Đã gửi câu hỏi cho người gửi hồ sơ {code}. Thời hạn trả lời tạm dừng đến khi người dân bổ sung.",
    "prompt.ask": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng câu hỏi cần người gửi hồ sơ {code} bổ sung. Bot chuyển câu hỏi dưới tên cơ quan.",
    "prompt.consult": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng nội dung xin ý kiến {agency} về hồ sơ {code}.",
    "prompt.transfer": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng lý do hồ sơ {code} không thuộc thẩm quyền và thuộc {agency}.",
    "prompt.progress": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng nội dung cập nhật tiến độ hồ sơ {code} gửi người dân.",
    "prompt.answer": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng câu trả lời cho hồ sơ {code} (có thể kèm ảnh hoặc tệp). Bot sẽ cho xem trước khi gửi.",
    "prompt.reject": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng lý do không tiếp nhận hồ sơ {code}. Người dân sẽ được báo lý do; Văn phòng UBND tỉnh có thể xem xét lại.",
    "prompt.used": "Bước này đã xong. Muốn làm tiếp, vui lòng bấm nút trên thẻ hồ sơ.",
    "prompt.text_needed": "Vui lòng trả lời bằng nội dung chữ.",
    "choose.transfer": "{officer}, hồ sơ {code} thuộc thẩm quyền cơ quan nào? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "choose.consult": "{officer}, xin ý kiến cơ quan nào về hồ sơ {code}? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "choose.cancel": "✖️ Huỷ",
    "choose.cancelled": "Đã huỷ.",
    "choose.chosen": "Đã chọn: <b>{agency}</b>.",
    "choose.not_found": "Không tìm thấy cơ quan nào khớp với “{query}”. Vui lòng gõ lại hoặc chọn bằng nút.",
    "choose.matches": "Có nhiều cơ quan khớp, vui lòng chọn (hồ sơ {code}):",
    "consult.no_group": "{agency} chưa có nhóm Telegram nên chưa xin ý kiến qua bot được.",
    "consult.sent": "✅ Đã gửi xin ý kiến {agency} về hồ sơ {code}, hạn trả lời ý kiến {due}. Trách nhiệm xử lý vẫn thuộc cơ quan mình.",
    "consult.card": (
        "🤝 <b>XIN Ý KIẾN PHỐI HỢP – hồ sơ {code}</b>\n"
        "<b>Cơ quan chủ trì:</b> {lead}\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Địa bàn:</b> {locality}\n"
        "<b>Hạn cho ý kiến:</b> {due}\n\n"
        "<b>Nội dung xin ý kiến:</b> {question}\n\n"
        "<b>Nội dung hồ sơ:</b> {text}\n\n"
        "Cán bộ <b>trả lời (reply) tin nhắn này</b> bằng ý kiến cụ thể của cơ quan. Trách nhiệm xử lý vẫn thuộc cơ quan chủ trì."
    ),
    "consult.card_answered": "\n\n✅ Đã cho ý kiến: {officer}, lúc {at}.",
    "consult.relayed": "🤝 <b>{agency}</b> cho ý kiến về hồ sơ {code} (cán bộ {officer}):\n\n{text}",
    "consult.answer_sent": "✅ Đã chuyển ý kiến của cơ quan về hồ sơ {code} đến cơ quan chủ trì.",
    "preview.text": (
        "📝 <b>Xem trước câu trả lời hồ sơ {code}</b>\n\n{text}\n\n📎 Tệp đính kèm: {count}\n\n"
        "Người dân sẽ nhận nội dung này dưới tên cơ quan. Muốn đính kèm thêm, trả lời tin nhắn này bằng ảnh hoặc tệp."
    ),
    "preview.send_answer": "📨 Gửi trả lời",
    "preview.send_progress": "🕑 Gửi như cập nhật tiến độ",
    "preview.cancel": "✖️ Huỷ",
    "preview.cancelled": "Đã huỷ bản nháp câu trả lời.",
    "preview.only_files": "Để đính kèm, vui lòng trả lời bản xem trước bằng ảnh hoặc tệp. Muốn sửa nội dung, hãy huỷ và trả lời lại thẻ hồ sơ.",
    "preview.file_added": "Đã thêm tệp đính kèm ({count}).",
    "preview.sent_progress": "🕑 Đã gửi cập nhật tiến độ hồ sơ {code} cho người dân:\n\n{text}",
    "preview.sent_answer": "✅ Đã gửi câu trả lời hồ sơ {code} cho người dân ({officer}, lúc {at}):\n\n{text}",
    "progress.sent": "✅ Đã gửi cập nhật tiến độ hồ sơ {code} cho người dân. Thời hạn trả lời vẫn tiếp tục tính.",
    "reject.done": "Đã từ chối tiếp nhận hồ sơ {code}. Người dân đã được báo lý do; Văn phòng UBND tỉnh sẽ xem xét lại.",
    "transfer.done": "↪️ Đã chuyển hồ sơ {code} đến {agency}. Thời hạn giữ nguyên.",
    "transfer.disputed": (
        "⚖️ Hồ sơ {code} <b>không được chuyển</b> đến {agency}: hồ sơ đã được chuyển một lần hoặc cơ quan "
        "đó đã từng nhận hồ sơ. Văn phòng UBND tỉnh sẽ quyết định cơ quan chịu trách nhiệm; thời hạn vẫn tính."
    ),
    "card.transferred_away": "\n\n↪️ <b>Đã chuyển đến {agency}</b> lúc {at}. Lý do: {reason}\nNhóm này không còn thao tác trên hồ sơ.",
    "card.decided_away": "\n\n⚖️ <b>Văn phòng UBND tỉnh đã giao {agency} xử lý.</b> Nhóm này không còn thao tác trên hồ sơ.",
    "relay.citizen_answer": "📩 Người gửi đã bổ sung thông tin cho hồ sơ {code} (thời hạn trả lời tiếp tục tính):\n\n{text}",
    "relay.citizen_added": "📩 Người gửi bổ sung thông tin cho hồ sơ {code}:\n\n{text}",
    "relay.rated_satisfied": "😊 Người gửi hài lòng với câu trả lời hồ sơ {code}. Hồ sơ đã kết thúc.",
    "relay.reopened": "😞 Người gửi chưa hài lòng với câu trả lời hồ sơ {code}. Hồ sơ được mở lại, hạn trả lời mới {text}. Vui lòng nhận xử lý lại.",
    "relay.rating_comment": "💬 Ý kiến của người gửi về câu trả lời hồ sơ {code}:\n\n{text}",
    "relay.withdrawn": "Người gửi đã rút hồ sơ {code}. Không cần xử lý tiếp.",
    "history.ask_code": "Gõ /history kèm mã hồ sơ, ví dụ: /history PA-7K3Q9M",
    "history.not_here": "Lịch sử hồ sơ chỉ xem được trong nhóm của cơ quan đang xử lý hoặc nhóm giám sát của tỉnh.",
    "publication.ask_code": "Gõ /notpublic kèm mã hồ sơ để không bao giờ đăng hồ sơ lên trang công khai, ví dụ: /notpublic PA-7K3Q9M",
    "publication.not_here": "Chỉ cơ quan đang xử lý hồ sơ hoặc nhóm giám sát của tỉnh mới đánh dấu được hồ sơ này.",
    "publication.done": "🔒 Hồ sơ {code} sẽ không bao giờ được đăng lên trang công khai.",
    "publication.already": "Hồ sơ {code} đã được đánh dấu không công khai.",
    "history.header": "📜 <b>Lịch sử hồ sơ {code}</b> (hiện: {state})",
    "history.line": "• {at} – {actor}: {action}{states}",
    "history.states": " [{before} → {after}]",
    "history.reason": "\n   Lý do: {reason}",
    "history.content": "\n   Nội dung: {text}",
    "history.requested_agency": "\n   Đề nghị chuyển đến: {agency}",
    "history.to_agency": "\n   Đến: {agency}",
    "history.decided_agency": "\n   Cơ quan được giao: {agency}",
    "history.actor.citizen": "Người gửi",
    "history.actor.system": "Hệ thống",
    "history.actor.administrator": "Quản trị viên",
    "history.actor.supervisor": "{name} ({group})",
    "history.actor.officer": "{name} ({agency})",
    "history.action.submitted": "gửi hồ sơ",
    "history.action.claimed": "nhận xử lý",
    "history.action.asked_citizen": "hỏi thêm người gửi",
    "history.action.citizen_replied": "người gửi bổ sung theo yêu cầu",
    "history.action.citizen_added_information": "người gửi bổ sung thông tin",
    "history.action.consultation_requested": "xin ý kiến phối hợp",
    "history.action.consultation_answered": "cho ý kiến phối hợp",
    "history.action.transferred": "chuyển hồ sơ",
    "history.action.routed": "phân loại, chuyển đến cơ quan có thẩm quyền",
    "history.action.transfer_disputed": "đề nghị chuyển không được thực hiện, chuyển tỉnh quyết định",
    "history.action.dispute_decided": "tỉnh quyết định cơ quan chịu trách nhiệm",
    "history.action.progress_update": "cập nhật tiến độ",
    "history.action.answered": "trả lời",
    "history.action.rejected": "từ chối tiếp nhận",
    "history.action.rejection_reversed": "tỉnh khôi phục hồ sơ bị từ chối",
    "history.action.rejection_upheld": "tỉnh giữ nguyên việc từ chối",
    "history.action.rated_satisfied": "người gửi hài lòng",
    "history.action.reopened_not_satisfied": "người gửi chưa hài lòng, hồ sơ mở lại",
    "history.action.rating_comment": "ý kiến của người gửi về câu trả lời",
    "history.action.withdrawn": "người gửi rút hồ sơ",
    "history.action.marked_never_public": "đánh dấu không đăng công khai",
    "history.action.refused": "thao tác bị từ chối",
    # --- supervisor ---
    "dispute.card": (
        "⚖️ <b>TRANH CHẤP THẨM QUYỀN – hồ sơ {code}</b>\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Địa bàn:</b> {locality}\n"
        "<b>Cơ quan đang giữ hồ sơ:</b> {holder}\n"
        "<b>Đề nghị chuyển đến:</b> {requested} (cán bộ {officer})\n"
        "<b>Lý do:</b> {reason}\n"
        "<b>Các cơ quan đã từng nhận:</b> {previous}\n"
        "<b>Vì sao cần tỉnh quyết định:</b> {why}\n"
        "<b>Hạn trả lời (không đổi):</b> {deadline}\n\n"
        "{text}\n\n"
        "Chọn cơ quan chịu trách nhiệm. Quyết định là cuối cùng đối với hồ sơ này."
    ),
    "dispute.why_back": "đề nghị chuyển trả lại cơ quan đã từng nhận hồ sơ",
    "dispute.why_second": "hồ sơ đã được chuyển một lần",
    "dispute.choose": "➡️ Giao {agency}",
    "dispute.other_agency": "🔎 Chọn cơ quan khác",
    "dispute.rule_off": "☐ Lưu làm quy tắc phân công cho lĩnh vực và địa bàn này",
    "dispute.rule_on": "☑️ Lưu làm quy tắc phân công cho lĩnh vực và địa bàn này",
    "dispute.back": "↩️ Quay lại",
    "dispute.choose_any": "\n\n🔎 Chọn bất kỳ cơ quan nào bên dưới, hoặc trả lời thẻ này bằng một phần tên cơ quan.",
    "dispute.matches": "Các cơ quan khớp với tên đã gõ (hồ sơ {code}):",
    "dispute.decided": "\n\n✅ <b>Đã quyết định:</b> {agency} chịu trách nhiệm xử lý ({supervisor}, lúc {at}).",
    "dispute.rule_saved": "\n📌 Đã lưu thành quy tắc phân công: hồ sơ cùng lĩnh vực, địa bàn sẽ được chuyển thẳng đến cơ quan này.",
    "dispute.told_agency": "⚖️ Văn phòng UBND tỉnh đã quyết định: <b>{agency}</b> chịu trách nhiệm xử lý hồ sơ {code}. Quyết định là cuối cùng; hạn trả lời: {deadline}.",
    "alert.not_satisfied": (
        "⚠️ <b>Người dân chưa hài lòng</b> với câu trả lời hồ sơ {code} của {agency}.\n"
        "Hồ sơ đã được mở lại cho cơ quan này, hạn trả lời mới: {deadline}.\n\n"
        "<b>Câu trả lời trước:</b> {answer}"
    ),
    "review.card": (
        "🚫 <b>HỒ SƠ BỊ TỪ CHỐI – {code}</b>\n"
        "<b>Cơ quan:</b> {agency} (cán bộ {officer})\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Lý do từ chối:</b> {reason}\n\n"
        "{text}\n\n"
        "Xem xét: nếu việc từ chối không đúng, bấm “Khôi phục” để cơ quan xử lý tiếp (thời hạn không tính lại)."
    ),
    "review.reverse": "↩️ Khôi phục hồ sơ",
    "review.uphold": "✔️ Giữ nguyên",
    "review.reversed": "\n\n↩️ <b>Đã khôi phục</b> ({supervisor}, lúc {at}); hồ sơ trở lại cơ quan xử lý.",
    "review.upheld": "\n\n✔️ <b>Giữ nguyên việc từ chối</b> ({supervisor}, lúc {at}).",
    "review.told_agency": "↩️ Văn phòng UBND tỉnh đã khôi phục hồ sơ {code}: cơ quan tiếp tục xử lý. Hạn trả lời: {deadline}.",
    "slip.title": "PHIẾU KIỂM SOÁT QUÁ TRÌNH XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ",
    "slip.particulars": (
        "Mã hồ sơ: {code}\n"
        "Loại: {kind}\n"
        "Lĩnh vực: {category}\n"
        "Địa bàn: {locality}\n"
        "Người gửi: {sender}\n"
        "Liên hệ: {contact}\n"
        "Tiếp nhận lúc: {received_at}\n"
        "Cơ quan chịu trách nhiệm: {agency}\n"
        "Trạng thái: {state}\n"
        "Hạn nhận xử lý: {claim_due}\n"
        "Hạn chuyển hồ sơ: {transfer_window}\n"
        "Hạn trả lời: {answer_due}\n"
        "Cán bộ nhận xử lý: {claimed_by}\n"
        "Số lần chuyển: {transfers}; các cơ quan đã từng nhận: {previous}\n"
        "Tỉnh quyết định cơ quan chịu trách nhiệm lúc: {decided}\n"
        "Trả lời lúc: {answered_at}\n"
        "Đánh giá của người gửi: {rating}\n"
        "Kết thúc lúc: {closed_at}\n"
        "Tệp đính kèm: {attachments}"
    ),
    "slip.sender_individual": "cá nhân (danh tính được bảo vệ)",
    "slip.sender_business": "doanh nghiệp {name} (MST {tax_code})",
    "slip.contact_consented": "{contact} (người gửi đồng ý cung cấp lúc {at})",
    "slip.contact_none": "không cung cấp",
    "slip.rating.satisfied": "hài lòng",
    "slip.rating.not_satisfied": "chưa hài lòng",
    "slip.content": "NỘI DUNG:",
    "slip.consultations": "XIN Ý KIẾN PHỐI HỢP:",
    "slip.consultation": "- {agency}: hỏi lúc {asked_at}, hạn {due}\n  Nội dung: {question}\n  Ý kiến: {answer} (lúc {answered_at})",
    "slip.not_answered": "chưa có ý kiến",
    "slip.history": "QUÁ TRÌNH XỬ LÝ ({count} sự kiện):",
    # --- scheduler ---
    "ladder.officer": "Cán bộ xử lý: {officer}.",
    "ladder.unclaimed": "Hồ sơ chưa có cán bộ nhận xử lý.",
    "ladder.no_leaders": "danh bạ chưa có lãnh đạo của đơn vị, đề nghị quản trị viên bổ sung",
    "ladder.claim_group": "⏰ <b>NHẮC NHẬN XỬ LÝ</b>\nHồ sơ {code} ({category}) chưa có cán bộ nhận xử lý, đã quá hạn nhận {claim_deadline}.\nĐề nghị đơn vị phân công cán bộ bấm “✋ Nhận xử lý” trên thẻ hồ sơ. Hạn trả lời người dân: {deadline}.",
    "ladder.claim_leaders_group": "📣 Hồ sơ {code} ({category}) vẫn chưa có cán bộ nhận xử lý (hạn nhận {claim_deadline}). Bot đã báo cáo lãnh đạo đơn vị: {leaders}.",
    "ladder.claim_leaders_direct": "📣 Kính gửi đồng chí {leader},\nHồ sơ {code} ({category}) gửi {agency} chưa có cán bộ nhận xử lý dù đã quá hạn nhận {claim_deadline}. Đề nghị đồng chí chỉ đạo phân công xử lý. Hạn trả lời người dân: {deadline}.",
    "ladder.due_soon": "⏳ <b>SẮP ĐẾN HẠN</b>\nHồ sơ {code} ({category}) phải trả lời người dân {deadline}. {officer_line}",
    "ladder.overdue_group": "🔴 <b>QUÁ HẠN</b>\nHồ sơ {code} ({category}) đã quá hạn trả lời ({deadline}). {officer_line}\nBot đã báo cáo lãnh đạo đơn vị ({leaders}) và thông báo cho người dân. Đề nghị khẩn trương trả lời.",
    "ladder.overdue_direct": "🔴 Kính gửi đồng chí {leader},\nHồ sơ {code} ({category}) do {agency} phụ trách đã quá hạn trả lời ({deadline}). {officer_line} Đề nghị đồng chí chỉ đạo xử lý dứt điểm.",
    "ladder.overdue_citizen": "Hồ sơ {code} của bạn đã quá hạn trả lời ({deadline}). Chúng tôi thành thật xin lỗi vì sự chậm trễ này.\nHồ sơ đã được báo cáo lãnh đạo {agency} để chỉ đạo xử lý; nếu tiếp tục chậm, Văn phòng UBND tỉnh sẽ đôn đốc. Bạn sẽ nhận được trả lời qua bot này.",
    "ladder.consultation_due_soon": "⏳ <b>SẮP ĐẾN HẠN CHO Ý KIẾN</b>\n{lead_agency} đề nghị {agency} cho ý kiến phối hợp về hồ sơ {code} {deadline}. Vui lòng trả lời thẻ xin ý kiến.",
    "ladder.consultation_overdue_group": "🔴 <b>QUÁ HẠN CHO Ý KIẾN</b>\n{agency} chưa cho ý kiến phối hợp về hồ sơ {code} (hạn {deadline}). Bot đã báo cáo lãnh đạo đơn vị: {leaders}. Đề nghị trả lời thẻ xin ý kiến ngay.",
    "ladder.consultation_overdue_direct": "🔴 Kính gửi đồng chí {leader},\n{agency} chưa cho ý kiến phối hợp về hồ sơ {code} theo đề nghị của {lead_agency}, đã quá hạn ({deadline}). Đề nghị đồng chí chỉ đạo trả lời.",
    "ladder.line.claim_group": "⏰ {code}: chưa có cán bộ nhận xử lý (hạn nhận {claim_deadline})",
    "ladder.line.claim_leaders": "📣 {code} ({agency}): vẫn chưa có cán bộ nhận xử lý",
    "ladder.line.due_soon": "⏳ {code}: sắp đến hạn trả lời, {deadline}",
    "ladder.line.overdue": "🔴 {code} ({agency}): quá hạn trả lời ({deadline})",
    "ladder.line.overdue_citizen": "🔴 {code}: quá hạn trả lời ({deadline}); đã báo cáo lãnh đạo {agency}",
    "ladder.line.supervisors": "🚨 {code} ({agency}): quá hạn trả lời ({deadline})",
    "ladder.line.consultation_due_soon": "⏳ {code}: sắp đến hạn cho ý kiến phối hợp, {deadline}",
    "ladder.line.consultation_overdue": "🔴 {code} ({agency}): quá hạn cho ý kiến phối hợp ({deadline})",
    "ladder.digest": "📋 <b>TỔNG HỢP NHẮC VIỆC</b> ({count} nội dung, gộp thành một tin):",
    "ladder.digest_more": "… và {count} nội dung khác.",
    "ladder.digest_cards_hint": "Bấm nút dưới đây để mở thẻ xử lý của từng hồ sơ, hoặc gõ /overdue để xem danh sách quá hạn.",
    "ladder.digest_open_card": "🚨 Mở thẻ {code}",
    "auto_close.citizen": "Hồ sơ {code} đã được trả lời ngày {answered_at} nhưng chưa được bạn đánh giá, nên đã tự động đóng sau {days} ngày. Nếu vẫn còn vướng mắc, bạn có thể gửi phản ánh, kiến nghị mới bằng lệnh /new.",
    "summary.header": "📊 <b>BÁO CÁO NGÀY {date}</b>\nTừ {since} đến {until}:\n• Tiếp nhận mới: {received}\n• Đã trả lời: {answered}\n• Đang quá hạn: {overdue}\n• Tranh chấp thẩm quyền chờ quyết định: {disputes}{dispute_codes}\n• Đánh dấu xem xét trách nhiệm: {flagged}{flagged_codes}\n• Người dân không liên lạc được: {unreachable}{unreachable_codes}",
    "summary.codes": " ({codes})",
    "summary.agencies": "<b>Chuyển đi và tranh chấp theo cơ quan ({days} ngày qua)</b>",
    "summary.agency_line": "• {agency}: nhận {handled} hồ sơ, chuyển đi {transferred} ({share}%), tranh chấp {disputes}",
    "summary.no_agencies": "• Chưa có hồ sơ nào trong {days} ngày qua.",
    # --- supervision ---
    "escalation.card": (
        "🚨 <b>HỒ SƠ QUÁ HẠN {days} NGÀY LÀM VIỆC – {code}</b>\n"
        "<b>Loại:</b> {kind}\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Địa bàn:</b> {locality}\n"
        "<b>Cơ quan chịu trách nhiệm:</b> {agency}\n"
        "<b>Tiếp nhận lúc:</b> {received}\n"
        "<b>Hạn trả lời:</b> {deadline}\n"
        "<b>Cán bộ xử lý:</b> {claimed}\n"
        "<b>Người gửi:</b> {citizen}\n\n"
        "{text}"
    ),
    "escalation.claimed_by": "{officer}",
    "escalation.not_claimed": "chưa có cán bộ nhận xử lý",
    "escalation.citizen_reachable": "liên lạc được qua bot",
    "escalation.citizen_unreachable": "⚠️ không liên lạc được qua bot (đã chặn bot hoặc đã xoá dữ liệu)",
    "escalation.already_extended": "\n\n📅 Hồ sơ đã được gia hạn một lần; không gia hạn thêm được.",
    "escalation.already_flagged": "\n🚩 Đã đề nghị xem xét trách nhiệm.",
    "escalation.button.urge": "📣 Đôn đốc",
    "escalation.button.reassign": "🔀 Giao cơ quan khác",
    "escalation.button.extend": "📅 Gia hạn",
    "escalation.button.flag": "🚩 Xem xét trách nhiệm",
    "escalation.not_open": "Hồ sơ {code} hiện {state}; thao tác này không còn phù hợp.",
    "overdue.none": "✅ Không có hồ sơ nào quá hạn trả lời (lúc {at}).",
    "overdue.header": "⏰ <b>Hồ sơ quá hạn trả lời: {count}</b> (lúc {at})",
    "overdue.agency": "\n<b>{agency}</b> – {count} hồ sơ",
    "overdue.line": "• {code} – {category} – quá hạn {days} ngày làm việc{flag}",
    "overdue.flagged": " 🚩",
    "overdue.more": "… và {count} hồ sơ khác.",
    "overdue.flagged_header": "🚩 <b>Hồ sơ đề nghị xem xét trách nhiệm: {count}</b>",
    "overdue.flagged_line": "• {code} – {agency} – {state}",
    "overdue.not_here": "Lệnh /overdue chỉ dùng được trong nhóm giám sát của tỉnh, bởi thành viên của nhóm.",
    "urge.agency": (
        "📣 <b>{office} đôn đốc</b> xử lý hồ sơ {code}: hồ sơ đã quá hạn trả lời ({deadline}).\n"
        "Đề nghị cơ quan khẩn trương xử lý, trả lời người dân và cập nhật tiến độ trên thẻ hồ sơ."
    ),
    "urge.awaiting_citizen": "Cơ quan đang chờ người gửi bổ sung thông tin (thời hạn trả lời tạm dừng), nên chưa cần đôn đốc.",
    "urge.done": "📣 Đã đôn đốc {agency} xử lý hồ sơ {code} ({supervisor}, lúc {at}).",
    "choose.reassign": "{officer}, giao hồ sơ {code} cho cơ quan nào? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "supervision.prompt.reassign": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng lý do giao hồ sơ {code} cho {agency}. "
        "Hạn trả lời giữ nguyên; cơ quan mới nhận thẻ hồ sơ, người dân được báo."
    ),
    "supervision.prompt.extend": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng ngày hẹn mới và lý do gia hạn hồ sơ {code}, "
        "trên một dòng, ví dụ:\n<code>{example} - Cần thêm thời gian kiểm tra hiện trường</code>\n"
        "Có thể ghi cả giờ: <code>{example} 10:00 - lý do</code>\n\n"
        "Hạn hiện tại: {deadline}. Hạn mới muộn nhất: {latest}.\n"
        "Người dân sẽ nhận thư xin lỗi kèm lý do và ngày hẹn mới. Mỗi hồ sơ chỉ được gia hạn một lần."
    ),
    "supervision.prompt.flag": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng lý do đề nghị xem xét trách nhiệm trong việc "
        "xử lý hồ sơ {code} ({agency})."
    ),
    "reassign.done": "🔀 Đã giao hồ sơ {code} cho {agency}. Hạn trả lời giữ nguyên: {deadline}.",
    "card.reassigned_away": "\n\n🔀 <b>Văn phòng UBND tỉnh đã giao hồ sơ cho {agency}</b> lúc {at}. Lý do: {reason}\nNhóm này không còn thao tác trên hồ sơ.",
    "reassign.told_new_agency": (
        "🔀 {office} giao hồ sơ {code} cho cơ quan xử lý (trước đây do {from_agency} phụ trách).\n"
        "<b>Lý do:</b> {reason}\n"
        "⏰ Hạn trả lời không tính lại: {deadline}. Đề nghị nhận xử lý ngay."
    ),
    "followup.reassigned": (
        "🔀 Văn phòng UBND tỉnh đã giao <b>{agency}</b> xử lý hồ sơ <code>{code}</code> của bạn. "
        "Cơ quan sẽ trả lời bạn qua bot."
    ),
    "extend.bad_format": (
        "Chưa đọc được ngày hẹn mới. Vui lòng trả lời lời nhắc theo mẫu "
        "<code>{example} - lý do gia hạn</code> (ngày/tháng/năm, có thể kèm giờ:phút)."
    ),
    "extend.done": "📅 Đã gia hạn hồ sơ {code} đến {deadline}. Người dân đã nhận thư xin lỗi và hẹn lại; cơ quan đã được báo.",
    "extend.told_agency": (
        "📅 {office} gia hạn trả lời hồ sơ {code} <b>một lần duy nhất</b> đến {deadline}.\n"
        "<b>Lý do:</b> {reason}\nĐề nghị cơ quan trả lời người dân trước hạn mới."
    ),
    "followup.extended": (
        "🙏 <b>Xin lỗi và hẹn lại thời hạn trả lời</b>\n\n"
        "Hồ sơ {kind_lower} <code>{code}</code> của bạn chưa được trả lời đúng hạn. <b>{agency}</b> thành thật xin lỗi "
        "bạn vì sự chậm trễ này.\n"
        "<b>Lý do:</b> {reason}\n"
        "<b>Hẹn lại thời hạn trả lời:</b> {deadline}.\n\n"
        "Mong bạn thông cảm. Nếu cần bổ sung thông tin, bạn trả lời (reply) tin nhắn này."
    ),
    "flag.done": "🚩 Đã đề nghị xem xét trách nhiệm trong việc xử lý hồ sơ {code} ({agency}). Hồ sơ được liệt kê trong báo cáo và trong lệnh /overdue.",
    "refused.extension_used": "Hồ sơ này đã được gia hạn một lần; theo quy định không gia hạn lần thứ hai.",
    "refused.extension_too_long": "Ngày hẹn mới quá xa: muộn nhất là {latest} (không dài hơn thời hạn trả lời ban đầu).",
    "refused.extension_too_early": "Ngày hẹn mới phải sau {earliest}; muộn nhất là {latest}.",
    "refused.already_flagged": "Hồ sơ này đã được đề nghị xem xét trách nhiệm rồi.",
    "refused.urged_recently": "Hồ sơ này vừa được đôn đốc lúc {urged_at}; vui lòng chờ cơ quan phản hồi.",
    "history.action.urged": "tỉnh đôn đốc xử lý",
    "history.action.reassigned": "tỉnh giao cơ quan khác xử lý",
    "history.action.extended": "tỉnh gia hạn trả lời",
    "history.action.flagged_for_review": "tỉnh đề nghị xem xét trách nhiệm",
    # --- binding ---
    "bind.code_created": "Mã gắn nhóm cho {agency}: {code} (hết hạn lúc {expires}). Gửi /bind {code} trong nhóm Telegram của cơ quan.",
    "bind.done": "✅ Nhóm này đã được gắn với <b>{agency}</b>. Hồ sơ của cơ quan sẽ được gửi vào đây.",
    "bind.bad_code": "Mã gắn nhóm không đúng, đã dùng hoặc đã hết hạn. Vui lòng xin mã mới từ quản trị viên.",
    "bind.ask_code": "Gõ /bind kèm mã do quản trị viên cung cấp, ví dụ: /bind 123456",
    "agency.this_group": "Nhóm này phục vụ: <b>{agency}</b>.",
    "agency.supervisors": "Nhóm này là nhóm giám sát của tỉnh ({name}).",
    "agency.unbound": "Nhóm này chưa được gắn với cơ quan nào. Quản trị viên chạy lệnh “pakn agency bind-code MÃ_CƠ_QUAN” rồi gửi /bind MÃ trong nhóm.",
    # --- delivery ---
    # --- privacy ---
    "privacy.header": "<b>Dữ liệu cá nhân của bạn mà hệ thống đang lưu</b>",
    "privacy.identity": "• Tài khoản Telegram (ID): {telegram_user_id}\n• Ngôn ngữ: {language}\n• Liên hệ lần đầu: {first_seen}",
    "privacy.language_name": "Tiếng Việt",
    "privacy.draft": "• Một hồ sơ đang soạn dở, chưa gửi.",
    "privacy.no_items": "\nBạn chưa gửi hồ sơ nào.",
    "privacy.items_header": "\n<b>Hồ sơ bạn đã gửi ({count}):</b>",
    "privacy.item_line": "• {code} – {state} – gửi lúc {received_at}",
    "privacy.item_answered": "\n   Được trả lời lúc {answered_at}",
    "privacy.item_contact": "\n   Thông tin liên hệ: {contact} – bạn đồng ý cung cấp lúc {consent_at}, với nội dung: “{wording}”",
    "privacy.item_location": "\n   Vị trí bạn gửi: {latitude}, {longitude}",
    "privacy.footer": (
        "\nNội dung phản ánh, kiến nghị và lịch sử xử lý được lưu để giám sát và giải trình trách nhiệm "
        "của cơ quan. Nếu bạn xoá dữ liệu cá nhân, các hồ sơ này vẫn được giữ nhưng không còn gắn với bạn."
    ),
    "privacy.nothing_stored": "Hệ thống không lưu dữ liệu cá nhân nào của bạn.",
    "privacy.erase_button": "🗑 Xoá dữ liệu cá nhân",
    "privacy.confirm": (
        "Bạn chắc chắn muốn xoá dữ liệu cá nhân?\n\n"
        "Hệ thống sẽ xoá số điện thoại, họ tên, vị trí và tài khoản Telegram của bạn khỏi {count} hồ sơ, "
        "xoá hồ sơ đang soạn dở và thông tin tài khoản của bạn. Nội dung hồ sơ và lịch sử xử lý vẫn được "
        "giữ lại, không gắn với bạn, để phục vụ giám sát.\n\n"
        "Sau khi xoá, bạn <b>sẽ không nhận được</b> thông báo hay câu trả lời của các hồ sơ này qua bot nữa. "
        "Việc xoá không thể hoàn tác."
    ),
    "privacy.confirm_button": "🗑 Xoá dữ liệu",
    "privacy.keep_button": "Không xoá",
    "privacy.erased": "Đã xoá dữ liệu cá nhân của bạn; {count} hồ sơ đã được ẩn danh. Khi cần gửi phản ánh, kiến nghị mới, bạn gõ /new.",
    "privacy.kept": "Dữ liệu của bạn được giữ nguyên.",
}
