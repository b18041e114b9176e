export const users = {
  usernameTaken: (u: string) => `Tên đăng nhập "${u}" đã tồn tại.`,
  userNotFound: (u: string) => `Không tìm thấy người dùng "${u}".`,
  unknownRole: (r: string) => `Vai trò "${r}" không tồn tại.`,
};
