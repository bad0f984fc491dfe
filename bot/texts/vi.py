"""Vietnamese texts (the primary language). Keys are shared with en.py; placeholders use {name}.

Wording rules (issue 8), so the texts read as a civil servant would sign them:
- Nothing names one province or one kind of province: {province} ("tỉnh Thái Nguyên", "thành phố Cần Thơ")
  and {supervisors} ("Văn phòng UBND …") come from the directory.
- One register for the citizen: the bot's own interface says "bạn"; everything said in an agency's name
  (questions, progress, answers, decisions, the overdue notice and the Form 04 apology) says "Ông/Bà",
  and the speaker is the agency ("{agency} thành thật xin lỗi Ông/Bà…"), never "Chúng tôi".
- One term per thing: "cơ quan" (not "đơn vị"), "người gửi" in officer texts (businesses send too),
  "kết thúc" (not "đóng"), "Cán bộ xử lý".
- Dates inside sentences: "hạn nhận xử lý: 11:30 thứ Hai, 07/12/2026", "gia hạn đến 17:00 …".
"""

TEXTS: dict[str, str] = {
    # --- general ---
    "error.internal": "Xin lỗi, hệ thống đang gặp sự cố nên chưa xử lý được yêu cầu này. Dữ liệu của bạn không bị mất; vui lòng thử lại sau ít phút.",
    "error.text_too_long": "Nội dung dài quá {maximum} ký tự. Vui lòng rút gọn và gửi lại.",
    "error.unknown_command": "Bot không hiểu lệnh này. Gõ /help để xem các lệnh có thể dùng.",
    "error.button_outdated": "Nút này đã cũ, không còn dùng được. Vui lòng dùng thông tin mới nhất.",
    "error.button_invalid": "Nút bấm không hợp lệ.",
    "error.button_renewed": "Các nút của thẻ này vừa được làm mới theo phiên bản mới. Vui lòng bấm lại.",
    "error.private_only": "Lệnh này chỉ dùng trong tin nhắn riêng với bot: {link}",
    "error.group_only": "Lệnh này chỉ dùng trong nhóm của cơ quan.",
    "error.unknown_code": "Không tìm thấy hồ sơ có mã {code}. Vui lòng kiểm tra lại mã (ví dụ: PA-7K3Q9M).",
    "error.code_missing": "Vui lòng ghi kèm mã hồ sơ, ví dụ: {example}",
    "sticker.ignored": "Bot chưa đọc được nhãn dán (sticker). Vui lòng gửi nội dung bằng chữ, ảnh hoặc tệp.",
    "edit.ignored": "Bot không nhận nội dung sửa lại của tin nhắn đã gửi. Nếu cần bổ sung, vui lòng gửi tin nhắn mới.",
    "language.changed": "Đã chuyển sang tiếng Việt.",
    "paging.previous": "◀️ Trước",
    "paging.next": "Sau ▶️",
    # --- citizen ---
    "start.welcome": (
        "Xin chào! Đây là kênh tiếp nhận <b>phản ánh, kiến nghị</b> của người dân và doanh nghiệp "
        "trên địa bàn {province}.\n\n"
        "• Bạn gửi phản ánh (báo một việc chưa ổn: đường hỏng, thủ tục bị làm sai…) hoặc kiến nghị "
        "(đề xuất cơ quan nhà nước làm hoặc sửa một việc).\n"
        "• Bot chuyển đến đúng cơ quan có trách nhiệm; bạn nhận mã hồ sơ và hạn trả lời.\n"
        "• Cơ quan trả lời qua bot; bạn không cần biết cơ quan nào có thẩm quyền.\n\n"
        "<b>Không tiếp nhận khiếu nại, tố cáo</b> qua kênh này. Khiếu nại, tố cáo được gửi theo Luật "
        "Khiếu nại, Luật Tố cáo tới Ban Tiếp công dân {province}, cơ quan thanh tra hoặc trực tiếp cơ quan "
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
    "submit.ask_tax_code": "Mã số thuế của doanh nghiệp? Gồm 10 chữ số, hoặc 13 chữ số với chi nhánh, ví dụ 4600123459 hoặc 4600123459-001 (có thể bấm Bỏ qua).",
    "submit.bad_tax_code": "Mã số thuế chưa đúng. Mã gồm 10 chữ số, chi nhánh có thêm 3 chữ số (có hoặc không có dấu gạch ngang), ví dụ 4600123459 hoặc 4600123459-001; chữ số thứ mười là số kiểm tra. Vui lòng kiểm tra lại trên giấy chứng nhận đăng ký doanh nghiệp, nhập lại hoặc bấm Bỏ qua.",
    "submit.ask_category": "Bước 3/7. Nội dung thuộc lĩnh vực nào? (trang {page}/{pages})",
    "submit.ask_locality": (
        "Bước 4/7. Việc này xảy ra ở phường, xã nào?\n"
        "Gõ tên (có dấu hoặc không dấu đều được{example}), hoặc bấm nút để gửi vị trí."
    ),
    "submit.locality_example": ", ví dụ: <i>{example}</i>",
    "submit.locality_choose": "Chọn đúng phường, xã:",
    "submit.locality_suggest": "Không có phường, xã nào tên đúng là “{query}”. Có phải bạn muốn chọn một trong các nơi sau?",
    "submit.locality_not_found": "Không tìm thấy phường, xã nào khớp với “{query}”. Vui lòng gõ lại tên khác, hoặc bấm “Không rõ địa bàn”.",
    "submit.locality_unknown_button": "Không rõ địa bàn",
    "submit.share_location_button": "📍 Gửi vị trí hiện tại",
    "submit.location_received": "Đã nhận vị trí. Nếu biết tên phường, xã, bạn gõ thêm để chuyển nhanh hơn; hoặc bấm “Không rõ địa bàn” để tiếp tục.",
    "submit.ask_description": (
        "Bước 5/7. Mô tả cụ thể sự việc: ở đâu, khi nào, như thế nào, bạn đề nghị gì. "
        "Tối thiểu {minimum} ký tự, tối đa {maximum} ký tự.\n"
        "Nếu nội dung dài, Telegram có thể tự tách thành nhiều tin nhắn; bot sẽ ghép các phần lại "
        "theo đúng thứ tự, bạn không cần gửi lại."
    ),
    "submit.description_needs_text": "Ở bước này, vui lòng gõ nội dung bằng chữ. Ảnh, tệp, ghi âm, video được gửi kèm ở bước sau.",
    "submit.description_too_short": "Nội dung hơi ngắn ({length} ký tự). Vui lòng mô tả cụ thể hơn, ít nhất {minimum} ký tự, để cơ quan xử lý được ngay.",
    "submit.description_too_long": "Nội dung dài {length} ký tự, vượt quá {maximum} ký tự. Vui lòng rút gọn; chi tiết có thể gửi kèm dưới dạng tệp ở bước sau.",
    "submit.description_too_long_parts": (
        "Nội dung bạn vừa gửi (tính cả các phần Telegram đã tách) dài {length} ký tự, vượt quá {maximum} ký tự, "
        "nên bot chưa nhận; các phần còn lại của đoạn vừa dán cũng không được nhận. "
        "Vui lòng rút gọn rồi gửi lại; chi tiết có thể gửi kèm dưới dạng tệp ở bước sau."
    ),
    "submit.description_collecting": (
        "📝 Đã nhận {length}/{maximum} ký tự nội dung. Vì nội dung dài, Telegram có thể đã tách thành "
        "nhiều tin nhắn; bot ghép các phần theo đúng thứ tự.\n"
        "Nếu còn, bạn cứ gửi tiếp phần còn lại; nếu đã gửi hết, bấm “Xong phần nội dung”."
    ),
    "submit.description_done_button": "✅ Xong phần nội dung",
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
    "submit.publication_line": "\n<b>Đăng trên trang công khai:</b> {choice}",
    "submit.publication_yes": "có (ẩn danh)",
    "submit.publication_no": "không",
    "submit.publication_button": "🌐 Công khai?",
    "submit.ask_publication": (
        "Bạn có đồng ý để nội dung phản ánh, kiến nghị và câu trả lời của cơ quan được đăng công khai "
        "trên trang thông tin công khai về phản ánh, kiến nghị không?\n\n"
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
    "submit.rate_limited": "Bạn đã gửi {limit} hồ sơ trong một giờ qua. Để tránh quá tải, bạn có thể gửi hồ sơ tiếp theo từ {at}. Xin cảm ơn!",
    "submit.rate_limited_draft_kept": "Hồ sơ bạn đang soạn dở vẫn được giữ nguyên; đến lúc đó, gõ /new để làm tiếp.",
    "flood.paused": "Bạn đã gửi quá nhiều tin nhắn trong thời gian ngắn. Để tránh quá tải, bot tạm không nhận tin nhắn của bạn đến {until}. Sau thời gian đó bạn tiếp tục bình thường. Xin cảm ơn!",
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
    "state.disputed": "đang chờ quyết định cơ quan chịu trách nhiệm xử lý",
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
        "Khiếu nại, tố cáo được gửi theo Luật Khiếu nại, Luật Tố cáo tới Ban Tiếp công dân, cơ quan thanh "
        "tra hoặc trực tiếp cơ quan có thẩm quyền giải quyết."
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
    "web.chart_title": "Biểu đồ như trong báo cáo gửi lãnh đạo, {days} ngày qua",
    "web.chart_alt": (
        "Biểu đồ {days} ngày qua. Phần trên: mỗi cơ quan một thanh, chia số hồ sơ thành đúng hạn, trễ hạn, "
        "quá hạn và chưa đến hạn, kèm tỷ lệ đúng hạn. Phần dưới: tỷ lệ đúng hạn theo từng tuần. "
        "Các số liệu này có trong bảng theo cơ quan ở trên và bảng theo tuần ở dưới."
    ),
    "web.weeks_table_caption": "Tỷ lệ đúng hạn theo tuần tiếp nhận, {days} ngày qua",
    "web.col_week": "Tuần",
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
    "web.step.dispute_decided": "Cơ quan giám sát quyết định cơ quan chịu trách nhiệm",
    "web.step.reassigned": "Cơ quan giám sát giao cơ quan khác xử lý",
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
    "web.state.disputed": "đang chờ cơ quan giám sát quyết định cơ quan xử lý",
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
    "open311.key_service": "Mỗi kênh (cổng thông tin, tổng đài) được quản trị viên hệ thống cấp một api_key riêng.",
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
    "card.claimed_by": "\n<b>Cán bộ xử lý:</b> {officer}",
    "card.text_excerpt": "{excerpt}\n\n📄 <i>Toàn văn ({length} ký tự) ở tin nhắn ngay phía trên thẻ này.</i>",
    "card.full_text": "📄 <b>Toàn văn nội dung {kind_lower} {code}</b>",
    "card.full_text_part": "📄 <b>Toàn văn nội dung {kind_lower} {code}</b> (phần {part}/{parts})",
    "card.channel": "\n<b>Kênh tiếp nhận:</b> {channel}",
    "card.contact_channel": "\n<b>Liên hệ (người gửi đồng ý):</b> {contact}",
    "followup.question": (
        "❓ <b>{agency}</b> đề nghị Ông/Bà bổ sung thông tin cho hồ sơ <code>{code}</code>:\n\n{text}\n\n"
        "Ông/Bà vui lòng <b>trả lời (reply) tin nhắn này</b> bằng chữ, ảnh hoặc tệp. Trong thời gian chờ Ông/Bà bổ sung, "
        "thời hạn trả lời được tạm dừng."
    ),
    "followup.progress": "🕑 <b>{agency}</b> thông báo Ông/Bà tiến độ xử lý hồ sơ <code>{code}</code>:\n\n{text}\n\nHạn trả lời: {deadline}.",
    "followup.answer": "📬 <b>{agency}</b> trả lời {kind_lower} <code>{code}</code> của Ông/Bà:\n\n{text}",
    "followup.rejected": (
        "Hồ sơ <code>{code}</code> không được tiếp nhận xử lý. Lý do {agency} đưa ra:\n\n{reason}\n\n"
        "Quyết định này sẽ được {supervisors} xem xét lại; nếu không đúng, hồ sơ sẽ được xử lý tiếp và Ông/Bà sẽ nhận được thông báo."
    ),
    "followup.transferred": (
        "↪️ Hồ sơ <code>{code}</code> đã được chuyển đến cơ quan có thẩm quyền: <b>{agency}</b>.\n"
        "Hạn trả lời không thay đổi: {deadline}."
    ),
    "followup.disputed": (
        "Hồ sơ <code>{code}</code> của Ông/Bà đang được {supervisors} xác định cơ quan chịu trách nhiệm xử lý. "
        "Hạn trả lời không thay đổi: {deadline}."
    ),
    "followup.dispute_decided": (
        "{supervisors} đã xác định <b>{agency}</b> chịu trách nhiệm xử lý hồ sơ <code>{code}</code> của Ông/Bà.\n"
        "Hạn trả lời: {deadline}."
    ),
    "followup.reinstated": (
        "Hồ sơ <code>{code}</code> của Ông/Bà đã được {supervisors} xem xét lại và giao <b>{agency}</b> tiếp tục xử lý. "
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
        "{supervisors} đã được báo để theo dõi."
    ),
    "rate.ask_comment": "Bạn chưa hài lòng ở điểm nào? Nếu muốn, hãy <b>trả lời (reply) tin nhắn này</b> để cơ quan và {supervisors} biết (không bắt buộc).",
    "rate.comment_received": "Đã chuyển ý kiến của bạn về hồ sơ <code>{code}</code> đến cơ quan xử lý và {supervisors}.",
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
    "auth.membership_unverified": "Hiện chưa kiểm tra được bạn có phải thành viên của nhóm hay không (Telegram chưa trả lời). Vui lòng thử lại sau ít phút.",
    "auth.not_on_roster": "Bạn chưa có trong danh sách cán bộ được phân công xử lý của cơ quan. Vui lòng liên hệ quản trị viên.",
    "auth.wrong_agency": "Hồ sơ này do cơ quan khác phụ trách; nhóm này không thao tác được.",
    "auth.not_supervisors_group": "Thao tác này chỉ thực hiện được trong nhóm giám sát.",
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
    "refused.responsibility_decided": "Cơ quan chịu trách nhiệm hồ sơ này đã được quyết định; không chuyển tiếp được nữa.",
    "refused.already_answered": "Nội dung này đã được trả lời rồi.",
    "refused.no_substance.too_short": "Nội dung quá ngắn nên chưa được gửi; cần nêu rõ kết quả hoặc ý kiến cụ thể.",
    "refused.no_substance.only_holding_phrase": "Chưa gửi: nội dung mới là lời tiếp nhận, hứa hẹn, cảm ơn. Cần nêu kết quả, quyết định, ngày, biện pháp, căn cứ có số văn bản hoặc việc người gửi cần làm.",
    "answer.no_substance_explained.too_short": (
        "⚠️ Câu trả lời quá ngắn nên chưa được gửi. Người gửi cần biết cơ quan đã làm gì, kết quả thế nào "
        "hoặc căn cứ nào để trả lời. Vui lòng trả lời lại thẻ hồ sơ với nội dung đầy đủ, hoặc bấm "
        "“Gửi như cập nhật tiến độ” (thời hạn trả lời vẫn tính)."
    ),
    "answer.no_substance_explained.only_holding_phrase": (
        "⚠️ Câu trả lời chưa được gửi: nội dung mới là lời hẹn, gồm lời tiếp nhận, hứa hẹn và cảm ơn "
        "(“đã tiếp nhận”, “sẽ xem xét, giải quyết theo quy định”, “trong thời gian sớm nhất”…). "
        "Tên cơ quan, địa bàn không được tính là nội dung.\n\n"
        "Câu trả lời cần có ít nhất một nội dung cụ thể:\n"
        "• kết quả hoặc quyết định (đã sửa xong, đã lập biên bản, không đủ điều kiện…);\n"
        "• ngày thực hiện hoặc biện pháp cụ thể đã, đang áp dụng;\n"
        "• căn cứ pháp lý có số hiệu văn bản (ví dụ: Quyết định số 1234/QĐ-UBND);\n"
        "• hoặc việc người gửi cần làm (mang giấy tờ gì, đến đâu, liên hệ số nào).\n\n"
        "Có thể bấm “Gửi như cập nhật tiến độ” (thời hạn trả lời vẫn tính), hoặc trả lời lại thẻ hồ sơ "
        "với nội dung cụ thể."
    ),
    "claim.done": "Bạn đã nhận xử lý hồ sơ {code}.",
    "ask.unreachable": "Người gửi đã xoá dữ liệu cá nhân nên bot không còn liên hệ được.",
    "ask.sent": "✅ Đã gửi câu hỏi cho người gửi hồ sơ {code}. Thời hạn trả lời tạm dừng đến khi người gửi bổ sung.",
    "prompt.ask": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng câu hỏi cần người gửi hồ sơ {code} bổ sung. Bot chuyển câu hỏi dưới tên cơ quan.",
    "prompt.consult": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng nội dung xin ý kiến {agency} về hồ sơ {code}.",
    "prompt.transfer": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng lý do hồ sơ {code} không thuộc thẩm quyền và thuộc {agency}.",
    "prompt.progress": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng nội dung cập nhật tiến độ hồ sơ {code} gửi người gửi.",
    "prompt.answer": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng câu trả lời cho hồ sơ {code} (có thể kèm ảnh hoặc tệp). Bot sẽ cho xem trước khi gửi.",
    "prompt.reject": "{officer}, hãy <b>trả lời tin nhắn này</b> bằng lý do không tiếp nhận hồ sơ {code}. Người gửi sẽ được báo lý do; {supervisors} có thể xem xét lại.",
    "prompt.used": "Bước này đã xong. Muốn làm tiếp, vui lòng bấm nút trên thẻ hồ sơ.",
    "reply.unknown_copy": (
        "Bot không nhận được nội dung này vì tin nhắn bạn trả lời là một bản sao cũ. "
        "Vui lòng trả lời thẻ mới nhất của hồ sơ {code} (tin được trích dẫn ở trên)."
    ),
    "prompt.text_needed": "Vui lòng trả lời bằng nội dung chữ.",
    "choose.transfer": "{officer}, hồ sơ {code} thuộc thẩm quyền cơ quan nào? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "choose.consult": "{officer}, xin ý kiến cơ quan nào về hồ sơ {code}? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "choose.cancel": "✖️ Huỷ",
    "choose.cancelled": "Đã huỷ.",
    "choose.chosen": "Đã chọn: <b>{agency}</b>.",
    "choose.own_agency": "📌 {agency} (đúng cơ quan, giữ nguyên)",
    "choose.kept_own_agency": (
        "📌 Hồ sơ {code} vẫn thuộc <b>{agency}</b>, không tính là chuyển hồ sơ. Cơ quan này chưa có nhóm Telegram "
        "nên thẻ tạm hiển thị ở đây. Khi quản trị viên gắn nhóm cho cơ quan (<code>pakn agency bind-code {agency_code}</code>, "
        "rồi gõ /bind kèm mã trong nhóm đó), thẻ sẽ tự được gửi sang nhóm ấy."
    ),
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
        "Người gửi sẽ nhận nội dung này dưới tên cơ quan. Muốn đính kèm thêm, trả lời tin nhắn này bằng ảnh hoặc tệp."
    ),
    "preview.send_answer": "📨 Gửi trả lời",
    "preview.send_progress": "🕑 Gửi như cập nhật tiến độ",
    "preview.cancel": "✖️ Huỷ",
    "preview.cancelled": "Đã huỷ bản nháp câu trả lời.",
    "preview.only_files": "Để đính kèm, vui lòng trả lời bản xem trước bằng ảnh hoặc tệp. Muốn sửa nội dung, hãy huỷ và trả lời lại thẻ hồ sơ.",
    "preview.file_added": "Đã thêm tệp đính kèm ({count}).",
    "preview.sent_progress": "🕑 Đã gửi cập nhật tiến độ hồ sơ {code} cho người gửi:\n\n{text}",
    "preview.sent_answer": "✅ Đã gửi câu trả lời hồ sơ {code} cho người gửi ({officer}, lúc {at}):\n\n{text}",
    "progress.sent": "✅ Đã gửi cập nhật tiến độ hồ sơ {code} cho người gửi. Thời hạn trả lời vẫn tiếp tục tính.",
    "reject.done": "Đã từ chối tiếp nhận hồ sơ {code}. Người gửi đã được báo lý do; {supervisors} sẽ xem xét lại.",
    "transfer.done": "↪️ Đã chuyển hồ sơ {code} đến {agency}. Thời hạn giữ nguyên.",
    "transfer.disputed": (
        "⚖️ Hồ sơ {code} <b>không được chuyển</b> đến {agency}: hồ sơ đã được chuyển một lần hoặc cơ quan "
        "đó đã từng nhận hồ sơ. {supervisors} sẽ quyết định cơ quan chịu trách nhiệm; thời hạn vẫn tính."
    ),
    "card.transferred_away": "\n\n↪️ <b>Đã chuyển đến {agency}</b> lúc {at}. Lý do: {reason}\nNhóm này không còn thao tác trên hồ sơ.",
    "card.moved_to_new_group": "\n\n📨 <b>Hồ sơ đã được gửi sang nhóm Telegram vừa gắn của {agency}</b> lúc {at}. Nhóm này không còn thao tác trên hồ sơ.",
    "card.decided_away": "\n\n⚖️ <b>{supervisors} đã giao {agency} xử lý.</b> Nhóm này không còn thao tác trên hồ sơ.",
    "relay.citizen_answer": "📩 Người gửi đã bổ sung thông tin cho hồ sơ {code} (thời hạn trả lời tiếp tục tính):\n\n{text}",
    "relay.citizen_added": "📩 Người gửi bổ sung thông tin cho hồ sơ {code}:\n\n{text}",
    "relay.rated_satisfied": "😊 Người gửi hài lòng với câu trả lời hồ sơ {code}. Hồ sơ đã kết thúc.",
    "relay.reopened": "😞 Người gửi chưa hài lòng với câu trả lời hồ sơ {code}. Hồ sơ được mở lại, hạn trả lời mới {text}. Vui lòng nhận xử lý lại.",
    "relay.rating_comment": "💬 Ý kiến của người gửi về câu trả lời hồ sơ {code}:\n\n{text}",
    "relay.withdrawn": "Người gửi đã rút hồ sơ {code}. Không cần xử lý tiếp.",
    "history.ask_code": "Gõ /history kèm mã hồ sơ, ví dụ: /history PA-7K3Q9M",
    "history.not_here": "Lịch sử hồ sơ chỉ xem được trong nhóm của cơ quan đang xử lý hoặc nhóm giám sát.",
    "publication.ask_code": "Gõ /notpublic kèm mã hồ sơ để không bao giờ đăng hồ sơ lên trang công khai, ví dụ: /notpublic PA-7K3Q9M",
    "publication.not_here": "Chỉ cơ quan đang xử lý hồ sơ hoặc nhóm giám sát mới đánh dấu được hồ sơ này.",
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
    "history.action.routed": "phân loại, chuyển đến cơ quan có thẩm quyền",
    "history.action.claimed": "nhận xử lý",
    "history.action.asked_citizen": "hỏi thêm người gửi",
    "history.action.citizen_replied": "người gửi bổ sung theo yêu cầu",
    "history.action.citizen_added_information": "người gửi bổ sung thông tin",
    "history.action.consultation_requested": "xin ý kiến phối hợp",
    "history.action.consultation_answered": "cho ý kiến phối hợp",
    "history.action.transferred": "chuyển hồ sơ",
    "history.action.transfer_disputed": "đề nghị chuyển không được thực hiện; chờ quyết định cơ quan chịu trách nhiệm",
    "history.action.dispute_decided": "quyết định cơ quan chịu trách nhiệm",
    "history.action.progress_update": "cập nhật tiến độ",
    "history.action.answered": "trả lời",
    "history.action.rejected": "từ chối tiếp nhận",
    "history.action.rejection_reversed": "khôi phục hồ sơ bị từ chối",
    "history.action.rejection_upheld": "giữ nguyên việc từ chối",
    "history.action.rated_satisfied": "người gửi hài lòng",
    "history.action.reopened_not_satisfied": "người gửi chưa hài lòng, hồ sơ được xử lý lại",
    "history.action.rating_comment": "ý kiến của người gửi về câu trả lời",
    "history.action.withdrawn": "người gửi rút hồ sơ",
    "history.action.auto_closed": "tự động kết thúc vì người gửi không đánh giá câu trả lời",
    "history.action.urged": "đôn đốc xử lý",
    "history.action.reassigned": "giao cơ quan khác xử lý",
    "history.action.extended": "gia hạn trả lời",
    "history.action.flagged_for_review": "đề nghị xem xét trách nhiệm",
    "history.action.escalation.claim_group": "nhắc nhóm cơ quan nhận xử lý",
    "history.action.escalation.claim_leaders": "báo lãnh đạo cơ quan: chưa có cán bộ nhận xử lý",
    "history.action.escalation.due_soon": "nhắc sắp đến hạn trả lời",
    "history.action.escalation.overdue": "báo lãnh đạo cơ quan và người gửi: quá hạn trả lời",
    "history.action.escalation.supervisors": "báo cáo nhóm giám sát: quá hạn trả lời",
    "history.action.escalation.consultation_due_soon": "nhắc sắp đến hạn cho ý kiến phối hợp",
    "history.action.escalation.consultation_overdue": "báo lãnh đạo cơ quan được xin ý kiến: quá hạn cho ý kiến phối hợp",
    "history.action.citizen_unreachable": "không gửi được tin cho người gửi (người gửi đã chặn bot)",
    "history.action.citizen_reachable": "người gửi nhận được tin trở lại",
    "history.action.card_moved_to_new_group": "gửi thẻ hồ sơ sang nhóm Telegram vừa gắn của cơ quan",
    "history.action.personal_data_erased": "người gửi xoá dữ liệu cá nhân; hồ sơ được ẩn danh",
    "history.action.refused": "thao tác không được thực hiện",
    "history.refusal.wrong_state": "hồ sơ không ở trạng thái cho phép",
    "history.refusal.already_claimed": "hồ sơ đã có người nhận xử lý",
    "history.refusal.not_claimed": "hồ sơ chưa có người nhận xử lý",
    "history.refusal.transfer_window_closed": "đã hết thời hạn chuyển hồ sơ",
    "history.refusal.same_agency": "chọn đúng cơ quan đang giữ hồ sơ",
    "history.refusal.unknown_agency": "cơ quan không có trong danh mục",
    "history.refusal.reason_required": "thiếu lý do",
    "history.refusal.no_substance": "câu trả lời chưa có nội dung cụ thể",
    "history.refusal.extension_used": "hồ sơ đã được gia hạn một lần",
    "history.refusal.extension_too_long": "ngày hẹn mới quá xa",
    "history.refusal.text_required": "thiếu nội dung",
    "history.refusal.responsibility_decided": "cơ quan chịu trách nhiệm đã được quyết định",
    "history.refusal.already_answered": "đã trả lời rồi",
    "history.refusal.extension_too_early": "ngày hẹn mới không sau hạn hiện tại",
    "history.refusal.already_flagged": "đã được đề nghị xem xét trách nhiệm",
    "history.refusal.urged_recently": "vừa được đôn đốc",
    "history.refusal.stale_button": "bấm nút đã cũ",
    "history.refusal.not_your_prompt": "bước do cán bộ khác bắt đầu",
    "history.refusal.citizen_unreachable": "không liên hệ được người gửi",
    "history.refusal.consulted_agency_has_no_group": "cơ quan được xin ý kiến chưa có nhóm Telegram",
    "history.refusal.not_authorised": "người thao tác không có quyền ở nhóm này",
    "history.refusal.other": "thao tác không hợp lệ",
    "history.action.marked_never_public": "đánh dấu không đăng công khai",
    # --- supervisor ---
    "dispute.card": (
        "⚖️ <b>TRANH CHẤP THẨM QUYỀN – hồ sơ {code}</b>\n"
        "<b>Lĩnh vực:</b> {category}\n"
        "<b>Địa bàn:</b> {locality}\n"
        "<b>Cơ quan đang giữ hồ sơ:</b> {holder}\n"
        "<b>Đề nghị chuyển đến:</b> {requested} (cán bộ {officer})\n"
        "<b>Lý do:</b> {reason}\n"
        "<b>Các cơ quan đã từng nhận:</b> {previous}\n"
        "<b>Vì sao cần quyết định:</b> {why}\n"
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
    "dispute.told_agency": "⚖️ {supervisors} đã quyết định: <b>{agency}</b> chịu trách nhiệm xử lý hồ sơ {code}. Quyết định là cuối cùng; hạn trả lời: {deadline}.",
    "alert.not_satisfied": (
        "⚠️ <b>Người gửi chưa hài lòng</b> với câu trả lời hồ sơ {code} của {agency}.\n"
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
    "review.told_agency": "↩️ {supervisors} đã khôi phục hồ sơ {code}: cơ quan tiếp tục xử lý. Hạn trả lời: {deadline}.",
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
        "Cán bộ xử lý: {claimed_by}\n"
        "Số lần chuyển: {transfers}; các cơ quan đã từng nhận: {previous}\n"
        "Quyết định cơ quan chịu trách nhiệm lúc: {decided}\n"
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
    "ladder.claim_group": "⏰ <b>NHẮC NHẬN XỬ LÝ</b>\nHồ sơ {code} ({category}) chưa có cán bộ nhận xử lý; hạn nhận xử lý: {claim_deadline} đã qua.\nĐề nghị cơ quan phân công cán bộ bấm “✋ Nhận xử lý” trên thẻ hồ sơ. Hạn trả lời người gửi: {due}.",
    "ladder.claim_leaders_group": "📣 Hồ sơ {code} ({category}) vẫn chưa có cán bộ nhận xử lý (hạn nhận xử lý: {claim_deadline}). Bot đã báo cáo lãnh đạo cơ quan: {leaders}.",
    "ladder.claim_leaders_group.no_leaders": "📣 Hồ sơ {code} ({category}) vẫn chưa có cán bộ nhận xử lý (hạn nhận xử lý: {claim_deadline}).\nDanh bạ chưa có lãnh đạo của {agency} nên bot chưa báo cáo được lãnh đạo. Đề nghị quản trị viên bổ sung lãnh đạo vào danh bạ.",
    "ladder.claim_leaders_direct": "📣 Kính gửi đồng chí {leader},\nHồ sơ {code} ({category}) gửi {agency} chưa có cán bộ nhận xử lý; hạn nhận xử lý: {claim_deadline} đã qua. Đề nghị đồng chí chỉ đạo phân công xử lý. Hạn trả lời người gửi: {due}.",
    "ladder.due_soon": "⏳ <b>SẮP ĐẾN HẠN</b>\nHồ sơ {code} ({category}) phải trả lời người gửi {deadline}. {officer_line}",
    "ladder.overdue_group": "🔴 <b>QUÁ HẠN</b>\nHồ sơ {code} ({category}) đã quá hạn trả lời (hạn trả lời: {due}). {officer_line}\nBot đã báo cáo lãnh đạo cơ quan ({leaders}) và thông báo cho người gửi. Đề nghị khẩn trương trả lời.",
    "ladder.overdue_group.no_leaders": "🔴 <b>QUÁ HẠN</b>\nHồ sơ {code} ({category}) đã quá hạn trả lời (hạn trả lời: {due}). {officer_line}\nBot đã thông báo cho người gửi. Danh bạ chưa có lãnh đạo của {agency} nên bot chưa báo cáo được lãnh đạo; đề nghị quản trị viên bổ sung. Đề nghị khẩn trương trả lời.",
    "ladder.overdue_direct": "🔴 Kính gửi đồng chí {leader},\nHồ sơ {code} ({category}) do {agency} phụ trách đã quá hạn trả lời (hạn trả lời: {due}). {officer_line} Đề nghị đồng chí chỉ đạo xử lý dứt điểm.",
    "ladder.overdue_citizen": "Hồ sơ {code} của Ông/Bà đã quá hạn trả lời (hạn trả lời: {due}). {agency} thành thật xin lỗi Ông/Bà vì sự chậm trễ này.\nHồ sơ đã được báo cáo lãnh đạo {agency} để chỉ đạo xử lý; nếu tiếp tục chậm, {supervisors} sẽ đôn đốc. Ông/Bà sẽ nhận được câu trả lời qua bot này.",
    "ladder.consultation_due_soon": "⏳ <b>SẮP ĐẾN HẠN CHO Ý KIẾN</b>\n{lead_agency} đề nghị {agency} cho ý kiến phối hợp về hồ sơ {code} {deadline}. Vui lòng trả lời thẻ xin ý kiến.",
    "ladder.consultation_overdue_group": "🔴 <b>QUÁ HẠN CHO Ý KIẾN</b>\n{agency} chưa cho ý kiến phối hợp về hồ sơ {code} (hạn cho ý kiến: {due}). Bot đã báo cáo lãnh đạo cơ quan: {leaders}. Đề nghị trả lời thẻ xin ý kiến ngay.",
    "ladder.consultation_overdue_group.no_leaders": "🔴 <b>QUÁ HẠN CHO Ý KIẾN</b>\n{agency} chưa cho ý kiến phối hợp về hồ sơ {code} (hạn cho ý kiến: {due}). Danh bạ chưa có lãnh đạo của {agency} nên bot chưa báo cáo được lãnh đạo; đề nghị quản trị viên bổ sung. Đề nghị trả lời thẻ xin ý kiến ngay.",
    "ladder.consultation_overdue_direct": "🔴 Kính gửi đồng chí {leader},\n{agency} chưa cho ý kiến phối hợp về hồ sơ {code} theo đề nghị của {lead_agency}; hạn cho ý kiến: {due} đã qua. Đề nghị đồng chí chỉ đạo trả lời.",
    "ladder.line.claim_group": "⏰ {code}: chưa có cán bộ nhận xử lý (hạn nhận xử lý: {claim_deadline})",
    "ladder.line.claim_leaders": "📣 {code} ({agency}): vẫn chưa có cán bộ nhận xử lý",
    "ladder.line.due_soon": "⏳ {code}: sắp đến hạn trả lời, {deadline}",
    "ladder.line.overdue": "🔴 {code} ({agency}): quá hạn trả lời (hạn trả lời: {due})",
    "ladder.line.overdue_citizen": "🔴 {code}: quá hạn trả lời (hạn trả lời: {due}); đã báo cáo lãnh đạo {agency}",
    "ladder.line.supervisors": "🚨 {code} ({agency}): quá hạn trả lời (hạn trả lời: {due})",
    "ladder.line.consultation_due_soon": "⏳ {code}: sắp đến hạn cho ý kiến phối hợp, {deadline}",
    "ladder.line.consultation_overdue": "🔴 {code} ({agency}): quá hạn cho ý kiến phối hợp (hạn cho ý kiến: {due})",
    "ladder.digest": "📋 <b>TỔNG HỢP NHẮC VIỆC</b> ({count} nội dung, gộp thành một tin):",
    "ladder.digest_more": "… và {count} nội dung khác.",
    "ladder.digest_cards_hint": "Bấm nút dưới đây để mở thẻ xử lý của từng hồ sơ, hoặc gõ /overdue để xem danh sách quá hạn.",
    "ladder.digest_open_card": "🚨 Mở thẻ {code}",
    "auto_close.citizen": "Hồ sơ {code} đã được trả lời ngày {answered_at} nhưng chưa được bạn đánh giá, nên đã tự động kết thúc sau {days} ngày. Nếu vẫn còn vướng mắc, bạn có thể gửi phản ánh, kiến nghị mới bằng lệnh /new.",
    "summary.header": "📊 <b>BÁO CÁO NGÀY {date}</b>\nTừ {since} đến {until}:\n• Tiếp nhận mới: {received}\n• Đã trả lời: {answered}\n• Đang quá hạn: {overdue}\n• Tranh chấp thẩm quyền chờ quyết định: {disputes}{dispute_codes}\n• Đánh dấu xem xét trách nhiệm: {flagged}{flagged_codes}\n• Người gửi không liên lạc được: {unreachable}{unreachable_codes}\n• Vượt thẩm quyền, đề nghị cấp trên: {referred}{referred_codes}; chờ quyết định: {referrals_waiting}{waiting_codes}",
    "summary.codes": " ({codes})",
    "summary.agencies": "<b>Chuyển đi và tranh chấp theo cơ quan ({days} ngày qua)</b>",
    "summary.agency_line": "• {agency}: nhận {handled} hồ sơ, chuyển đi {transferred} ({share}%), tranh chấp {disputes}",
    "summary.no_agencies": "• Chưa có hồ sơ nào trong {days} ngày qua.",
    "report.not_here": "Lệnh /report dùng trong nhóm giám sát (báo cáo mọi cơ quan) hoặc trong nhóm xử lý của một cơ quan (báo cáo của cơ quan đó).",
    "report.usage": "Chưa hiểu kỳ báo cáo. Có thể gõ:\n• /report – tháng trước\n• /report tuần – tuần trước\n• /report 2026-11 – tháng 11/2026\n• /report 2026-11-01 2026-11-15 – từ ngày 01/11 đến hết ngày 15/11/2026\nKỳ báo cáo không dài quá một năm và không bắt đầu sau hôm nay.",
    "report.title": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT PHẢN ÁNH, KIẾN NGHỊ – {province}",
    "report.title_agency": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT PHẢN ÁNH, KIẾN NGHỊ – {agency}",
    "report.period_month": "THÁNG {month:02d}/{year}",
    "report.period_week": "TUẦN {first} – {last}",
    "report.period_range": "TỪ {first} ĐẾN {last}",
    "report.subtitle": "Kỳ báo cáo: {first} – {last}. Số liệu tính đến {as_of}. Lập lúc {generated}.",
    "report.summary_header": "📊 <b>BÁO CÁO {period}</b>\n{scope}\nKỳ báo cáo: {first} – {last} (số liệu tính đến {as_of})",
    "report.summary_figures": "• Tiếp nhận: {received}\n• Đúng hạn: {on_time} · Trễ hạn: {late} · Quá hạn: {overdue} · Chưa đến hạn: {not_yet_due}\n• Tỷ lệ đúng hạn: {rate}\n• Thời gian trả lời (ngày làm việc): trung vị {median}, 90% trong {p90}\n• Chuyển đi: {transferred} · Tranh chấp: {disputes} (bị quyết định bất lợi: {lost}) · Từ chối: {rejections} (bị hủy: {reversed})\n• Phối hợp được xin ý kiến: {consultations} (trễ: {consultations_late}, chưa trả lời: {consultations_open})\n• Gia hạn: {extensions} · Mở lại do không hài lòng: {reopened} · Hài lòng: {satisfaction} ({rated} lượt đánh giá)\n• Người dân không liên lạc được: {unreachable}\n• Hồ sơ đang quá hạn (mọi kỳ): {overdue_total}",
    "report.ranking_header": "<b>Xếp hạng theo tỷ lệ đúng hạn</b> (cơ quan có từ {min_items} hồ sơ):",
    "report.ranking_line": "{rank}. {agency} – {rate} đúng hạn, quá hạn {overdue}",
    "report.ranking_none": "Chưa cơ quan nào đủ {min_items} hồ sơ để xếp hạng.",
    "report.unranked": "Chưa xếp hạng (dưới {min_items} hồ sơ): {agencies}",
    "report.often_header": "⚠️ <b>Cơ quan thường xuyên có hồ sơ quá hạn</b> (quá hạn cuối ít nhất {periods}/{window} tháng gần nhất):",
    "report.often_line": "• {agency} – số hồ sơ quá hạn cuối mỗi tháng: {counts} – Thủ trưởng: {leaders}",
    "report.often_no_leaders": "chưa khai báo trong danh bạ",
    "report.attachments": "Biểu đồ và bảng tính chi tiết được gửi kèm theo.",
    "report.not_available": "—",
    "report.province_row": "Toàn {province_kind}",
    "report.scope_total": "Tổng cộng",
    "report.chart_agencies": "Tình hình giải quyết theo cơ quan – {period}",
    "report.chart_weeks": "Tỷ lệ đúng hạn theo tuần – {scope}",
    "report.chart_rate_axis": "Tỷ lệ đúng hạn (%)",
    "report.chart_items_axis": "Số hồ sơ",
    "report.chart_no_data": "Không có hồ sơ trong kỳ",
    "report.sheet.agencies": "Tổng hợp theo cơ quan",
    "report.sheet.officers": "Theo cán bộ",
    "report.sheet.overdue": "Hồ sơ quá hạn",
    "report.sheet.transfers": "Chuyển và tranh chấp",
    "report.sheet.consultations": "Phối hợp",
    "report.overdue_cut": "Danh sách chỉ liệt kê {shown} trong số {total} hồ sơ quá hạn (hạn trả lời sớm nhất trước).",
    "report.col.rank": "Xếp hạng",
    "report.col.agency_code": "Mã cơ quan",
    "report.col.agency": "Cơ quan",
    "report.col.received": "Tiếp nhận",
    "report.col.on_time": "Đúng hạn",
    "report.col.late": "Trễ hạn",
    "report.col.not_yet_due": "Chưa đến hạn",
    "report.col.overdue": "Quá hạn",
    "report.col.on_time_rate": "Tỷ lệ đúng hạn",
    "report.col.median_days": "Thời gian trả lời trung vị (ngày làm việc)",
    "report.col.p90_days": "Thời gian trả lời 90% (ngày làm việc)",
    "report.col.handled": "Hồ sơ đã giữ",
    "report.col.transferred_out": "Chuyển đi",
    "report.col.transferred_share": "Tỷ lệ chuyển đi",
    "report.col.disputes_raised": "Tranh chấp phát sinh",
    "report.col.disputes_lost": "Tranh chấp bị quyết định bất lợi",
    "report.col.rejections": "Từ chối",
    "report.col.rejections_reversed": "Từ chối bị hủy",
    "report.col.consultations_asked": "Được xin ý kiến phối hợp",
    "report.col.consultations_on_time": "Trả lời phối hợp đúng hạn",
    "report.col.consultations_late": "Trả lời phối hợp trễ hạn",
    "report.col.consultations_open": "Chưa trả lời phối hợp",
    "report.col.extensions": "Gia hạn",
    "report.col.reopened": "Mở lại do không hài lòng",
    "report.col.rated": "Lượt đánh giá",
    "report.col.satisfaction_rate": "Tỷ lệ hài lòng",
    "report.col.unreachable": "Người dân không liên lạc được",
    "report.col.officer": "Cán bộ",
    "report.col.officer_received": "Hồ sơ nhận xử lý",
    "report.col.code": "Mã hồ sơ",
    "report.col.category": "Lĩnh vực",
    "report.col.locality": "Địa bàn",
    "report.col.received_at": "Ngày tiếp nhận",
    "report.col.answer_due_at": "Hạn trả lời",
    "report.col.days_overdue": "Số ngày làm việc quá hạn",
    "report.col.officer_handling": "Cán bộ xử lý",
    "report.col.leaders": "Thủ trưởng",
    "report.col.month_end": "Quá hạn cuối tháng {month}",
    "report.col.overdue_at": "Quá hạn ngày {date}",
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
    "overdue.not_here": "Lệnh /overdue chỉ dùng được trong nhóm giám sát, bởi thành viên của nhóm.",
    "urge.agency": (
        "📣 <b>{office} đôn đốc</b> xử lý hồ sơ {code}: hồ sơ đã quá hạn trả lời ({deadline}).\n"
        "Đề nghị cơ quan khẩn trương xử lý, trả lời người gửi và cập nhật tiến độ trên thẻ hồ sơ."
    ),
    "urge.awaiting_citizen": "Cơ quan đang chờ người gửi bổ sung thông tin (thời hạn trả lời tạm dừng), nên chưa cần đôn đốc.",
    "urge.done": "📣 Đã đôn đốc {agency} xử lý hồ sơ {code} ({supervisor}, lúc {at}).",
    "choose.reassign": "{officer}, giao hồ sơ {code} cho cơ quan nào? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "supervision.prompt.reassign": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng lý do giao hồ sơ {code} cho {agency}. "
        "Hạn trả lời giữ nguyên; cơ quan mới nhận thẻ hồ sơ, người gửi được báo."
    ),
    "supervision.prompt.extend": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng ngày hẹn mới và lý do gia hạn hồ sơ {code}, "
        "trên một dòng, ví dụ:\n<code>{example} - Cần thêm thời gian kiểm tra hiện trường</code>\n"
        "Có thể ghi cả giờ: <code>{example} 10:00 - lý do</code>\n\n"
        "Hạn hiện tại: {deadline}. Hạn mới muộn nhất: {latest}.\n"
        "Người gửi sẽ nhận thư xin lỗi kèm lý do và ngày hẹn mới. Mỗi hồ sơ chỉ được gia hạn một lần."
    ),
    "supervision.prompt.flag": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng lý do đề nghị xem xét trách nhiệm trong việc "
        "xử lý hồ sơ {code} ({agency})."
    ),
    "reassign.done": "🔀 Đã giao hồ sơ {code} cho {agency}. Hạn trả lời giữ nguyên: {deadline}.",
    "card.reassigned_away": "\n\n🔀 <b>{supervisors} đã giao hồ sơ cho {agency}</b> lúc {at}. Lý do: {reason}\nNhóm này không còn thao tác trên hồ sơ.",
    "reassign.told_new_agency": (
        "🔀 {office} giao hồ sơ {code} cho cơ quan xử lý (trước đây do {from_agency} phụ trách).\n"
        "<b>Lý do:</b> {reason}\n"
        "⏰ Hạn trả lời không tính lại: {deadline}. Đề nghị nhận xử lý ngay."
    ),
    "followup.reassigned": (
        "🔀 {supervisors} đã giao <b>{agency}</b> xử lý hồ sơ <code>{code}</code> của Ông/Bà. "
        "Cơ quan sẽ trả lời Ông/Bà qua bot."
    ),
    "extend.bad_format": (
        "Chưa đọc được ngày hẹn mới. Vui lòng trả lời lời nhắc theo mẫu "
        "<code>{example} - lý do gia hạn</code> (ngày/tháng/năm, có thể kèm giờ:phút)."
    ),
    "extend.done": "📅 Đã gia hạn hồ sơ {code} đến {until}. Người gửi đã nhận thư xin lỗi và hẹn lại; cơ quan đã được báo.",
    "extend.told_agency": (
        "📅 {office} gia hạn trả lời hồ sơ {code} <b>một lần duy nhất</b> đến {until}.\n"
        "<b>Lý do:</b> {reason}\nĐề nghị cơ quan trả lời người gửi trước hạn mới."
    ),
    "followup.extended": (
        "🙏 <b>Xin lỗi và hẹn lại thời hạn trả lời</b>\n\n"
        "Hồ sơ {kind_lower} <code>{code}</code> của Ông/Bà chưa được trả lời đúng hạn. <b>{agency}</b> thành thật xin lỗi "
        "Ông/Bà vì sự chậm trễ này.\n"
        "<b>Lý do:</b> {reason}\n"
        "<b>Hẹn lại thời hạn trả lời:</b> {deadline}.\n\n"
        "Mong Ông/Bà thông cảm. Nếu cần bổ sung thông tin, Ông/Bà trả lời (reply) tin nhắn này."
    ),
    "flag.done": "🚩 Đã đề nghị xem xét trách nhiệm trong việc xử lý hồ sơ {code} ({agency}). Hồ sơ được liệt kê trong báo cáo và trong lệnh /overdue.",
    "refused.extension_used": "Hồ sơ này đã được gia hạn một lần; theo quy định không gia hạn lần thứ hai.",
    "refused.extension_too_long": "Ngày hẹn mới quá xa: muộn nhất là {latest} (không dài hơn thời hạn trả lời ban đầu).",
    "refused.extension_too_early": "Ngày hẹn mới phải sau {earliest}; muộn nhất là {latest}.",
    "refused.already_flagged": "Hồ sơ này đã được đề nghị xem xét trách nhiệm rồi.",
    "refused.urged_recently": "Hồ sơ này vừa được đôn đốc lúc {urged_at}; vui lòng chờ cơ quan phản hồi.",
    # --- binding ---
    "bind.code_created": "Mã gắn nhóm cho {agency}: {code} (hết hạn lúc {expires}). Gửi /bind {code} trong nhóm Telegram của cơ quan.",
    "bind.done": "✅ Nhóm này đã được gắn với <b>{agency}</b>. Hồ sơ của cơ quan sẽ được gửi vào đây.",
    "bind.cards_moved": "📨 Đã gửi vào nhóm này {count} hồ sơ đang mở của cơ quan, kể cả các hồ sơ trước đây chờ ở nhóm phân loại.",
    "bind.bad_code": "Mã gắn nhóm không đúng, đã dùng hoặc đã hết hạn. Vui lòng xin mã mới từ quản trị viên.",
    "bind.ask_code": "Gõ /bind kèm mã do quản trị viên cung cấp, ví dụ: /bind 48213057",
    "bind.already_bound": "Nhóm này đã được gắn với <b>{agency}</b>, nên không gắn thêm cơ quan khác được. Nếu cần đổi, quản trị viên chạy “pakn agency unbind {agency_code}” rồi cấp mã mới, hoặc cấp mã bằng “pakn agency bind-code MÃ_CƠ_QUAN --replace”.",
    "bind.locked": "Đã nhập sai mã gắn nhóm quá nhiều lần. Chức năng /bind tạm khoá đến {until}; quản trị viên đã được ghi nhận. Vui lòng xin mã mới từ quản trị viên.",
    "agency.this_group": "Nhóm này phục vụ: <b>{agency}</b>.",
    "agency.supervisors": "Nhóm này là nhóm giám sát ({name}).",
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
    "privacy.erased_free_text": "Số điện thoại, địa chỉ e-mail và số giấy tờ tuỳ thân mà bạn đã viết trong nội dung hồ sơ, thông tin bổ sung và nhận xét cũng đã được che (***).",
    "privacy.kept": "Dữ liệu của bạn được giữ nguyên.",
    # --- beyond an agency's authority: reported up to the supervisors (Dispatch 968 §1(h)) ---
    "card.button.beyond_authority": "⬆️ Vượt thẩm quyền, đề nghị cấp trên",
    "prompt.beyond_authority": (
        "{officer}, hãy <b>trả lời tin nhắn này</b>: hồ sơ {code} cần {supervisors} giải quyết việc gì, "
        "và vì sao việc đó vượt thẩm quyền của cơ quan (nêu căn cứ)? Hồ sơ vẫn do cơ quan theo dõi; hạn trả lời vẫn tính."
    ),
    "beyond_authority.sent": "⬆️ Đã đề nghị {supervisors} giải quyết hồ sơ {code}. Hồ sơ vẫn do cơ quan theo dõi; hạn trả lời không đổi: {deadline}.",
    "beyond_authority.no_supervisors": "Chưa có nhóm của {supervisors} để nhận đề nghị. Vui lòng báo quản trị viên.",
    "history.action.referred_up": "đề nghị cấp trên giải quyết (vượt thẩm quyền)",
    "history.action.referral_sent_back": "cấp trên trả lại hồ sơ kèm chỉ đạo",
    "referral.card": (
        "⬆️ <b>ĐỀ NGHỊ CẤP TRÊN GIẢI QUYẾT</b> · hồ sơ <code>{code}</code>\n"
        "<b>{agency}</b> báo cáo việc vượt thẩm quyền (cán bộ: {officer}).\n"
        "<b>Cần giải quyết và lý do:</b> {text}\n"
        "<b>Hạn trả lời:</b> {deadline}\n\n"
        "<b>Nội dung hồ sơ:</b> {item_text}"
    ),
    "referral.button.assign": "🔀 Giao cơ quan khác",
    "referral.button.answer": "✍️ Trả lời thay mặt {province}",
    "referral.button.send_back": "↩️ Trả lại kèm chỉ đạo",
    "referral.decided": "\n\n✔️ <b>{outcome}</b> · {supervisor}, {at}",
    "referral.outcome.assign": "Đã giao {agency}",
    "referral.outcome.answer": "Đã trả lời thay mặt {province}",
    "referral.outcome.send_back": "Đã trả lại kèm chỉ đạo",
    "referral.already_decided": "Đề nghị này đã được xử lý.",
    "refused.referral_outdated": "Hồ sơ hiện {state} hoặc đã do cơ quan khác xử lý; đề nghị này không còn phù hợp.",
    "choose.referral": "{officer}, giao hồ sơ {code} cho cơ quan nào? Chọn bên dưới (trang {page}/{pages}) hoặc <b>trả lời tin nhắn này</b> bằng một phần tên cơ quan.",
    "referral.prompt.answer": (
        "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng câu trả lời thay mặt {province} cho hồ sơ {code}. "
        "Câu trả lời được kiểm tra nội dung như mọi câu trả lời, rồi gửi người gửi."
    ),
    "referral.prompt.send_back": "{supervisor}, hãy <b>trả lời tin nhắn này</b> bằng chỉ đạo gửi {agency} về hồ sơ {code}.",
    "referral.assigned_reason": "Vượt thẩm quyền của {agency}: {text}",
    "referral.answered": "✍️ Đã trả lời người gửi hồ sơ {code} thay mặt {province}.",
    "referral.answered_told_agency": "✍️ {office} đã trả lời người gửi hồ sơ {code} thay mặt {province}:\n\n{text}",
    "referral.sent_back": "↩️ Đã trả lại hồ sơ {code} cho {agency} kèm chỉ đạo.",
    "referral.directive": (
        "↩️ {office} trả lại hồ sơ {code} để cơ quan tiếp tục giải quyết.\n"
        "<b>Chỉ đạo:</b> {text}\n<b>Hạn trả lời:</b> {deadline}"
    ),
    "followup.answer_by_province": "📬 <b>{supervisors}</b> trả lời {kind_lower} <code>{code}</code> của Ông/Bà thay mặt {province}:\n\n{text}",
    "history.refusal.supervisors_have_no_group": "chưa có nhóm của cấp trên để nhận đề nghị",
    "history.refusal.referral_decided": "đề nghị đã được cấp trên xử lý",
    "history.refusal.referral_outdated": "đề nghị không còn phù hợp",
}
