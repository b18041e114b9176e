/** Role names as people read them (the same words as the staff pages). */
export const roleNames: Record<string, string> = {
  admin: "Quản trị hệ thống", clerk: "Cán bộ tiếp nhận hồ sơ", reviewer: "Cán bộ kiểm duyệt",
  ca_operator: "Cán bộ vận hành CA", device_officer: "Cán bộ quản lý thiết bị", auditor: "Kiểm toán viên",
};

export const users = {
  usernameTaken: (u: string) => `Tên đăng nhập "${u}" đã tồn tại.`,
  userNotFound: (u: string) => `Không tìm thấy người dùng "${u}".`,
  unknownRole: (r: string) => `Vai trò "${r}" không tồn tại.`,
  selfRoleChange: "Không được tự thay đổi vai trò của chính mình; cần một quản trị viên khác thực hiện.",
  tokenNotFound: "Không tìm thấy mã truy cập của người dùng này.",
  notOwnCredential:
    "Chỉ chính người dùng mới được tạo mã truy cập hoặc đặt mật khẩu của mình. Quản trị viên hãy gửi mã kích hoạt qua thư điện tử (POST /api/users/{id}/enrolment).",
  currentPasswordRequired: "Cần nhập đúng mật khẩu hiện tại để đổi mật khẩu.",
  selfDeactivation: "Không được tự khóa tài khoản của chính mình.",
  userInactive: "Tài khoản này đang bị khóa.",
  privilegedRoleLabel: (username: string, roles: string[], email: string | null) =>
    `Tài khoản "${username}" nhận vai trò đặc quyền ${roles.map((r) => roleNames[r] ?? r).join(", ")}; thư kích hoạt sẽ gửi tới ${email ?? "(chưa có thư điện tử)"}`,
  // Enrolment (kích hoạt tài khoản)
  enrolmentNoEmail: (u: string) =>
    `Người dùng "${u}" chưa có địa chỉ thư điện tử đăng ký; không thể gửi mã kích hoạt. Hãy tạo tài khoản với thư điện tử công vụ của người dùng.`,
  enrolmentInvalid: "Tên đăng nhập hoặc mã kích hoạt không đúng.",
  enrolmentExpired: "Mã kích hoạt đã hết hạn. Hãy đề nghị quản trị viên gửi mã mới.",
  enrolmentUsed: "Mã kích hoạt đã được sử dụng. Mỗi mã chỉ dùng được một lần.",
  enrolmentSuperseded: "Mã kích hoạt này đã được thay bằng một mã mới gửi sau; hãy dùng mã trong thư mới nhất.",
  enrolmentLocked: "Mã kích hoạt đã bị vô hiệu hóa do nhập sai quá nhiều lần. Hãy đề nghị quản trị viên gửi mã mới.",
  enrolmentKeyMismatch: "Khóa sinh mã kích hoạt trên máy chủ đã thay đổi; hãy gửi lại mã kích hoạt.",
  passwordMismatch: "Hai lần nhập mật khẩu mới không khớp nhau.",
  passwordTooShort: "Mật khẩu phải có ít nhất 12 ký tự.",
};
