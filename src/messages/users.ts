export const users = {
  usernameTaken: (u: string) => `Tên đăng nhập "${u}" đã tồn tại.`,
  userNotFound: (u: string) => `Không tìm thấy người dùng "${u}".`,
  unknownRole: (r: string) => `Vai trò "${r}" không tồn tại.`,
  selfRoleChange: "Không được tự thay đổi vai trò của chính mình; cần một quản trị viên khác thực hiện.",
  tokenNotFound: "Không tìm thấy mã truy cập của người dùng này.",
};
