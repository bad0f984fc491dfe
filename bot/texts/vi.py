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
    # --- supervisor ---
    # --- scheduler ---
    # --- binding ---
    "bind.code_created": "Mã gắn nhóm cho {agency}: {code} (hết hạn lúc {expires}). Gửi /bind {code} trong nhóm Telegram của cơ quan.",
    "bind.done": "✅ Nhóm này đã được gắn với <b>{agency}</b>. Hồ sơ của cơ quan sẽ được gửi vào đây.",
    "bind.bad_code": "Mã gắn nhóm không đúng, đã dùng hoặc đã hết hạn. Vui lòng xin mã mới từ quản trị viên.",
    "bind.ask_code": "Gõ /bind kèm mã do quản trị viên cung cấp, ví dụ: /bind 123456",
    "agency.this_group": "Nhóm này phục vụ: <b>{agency}</b>.",
    "agency.supervisors": "Nhóm này là nhóm giám sát của tỉnh ({name}).",
    "agency.unbound": "Nhóm này chưa được gắn với cơ quan nào. Quản trị viên chạy lệnh “pakn agency bind-code MÃ_CƠ_QUAN” rồi gửi /bind MÃ trong nhóm.",
    # --- delivery ---
}
