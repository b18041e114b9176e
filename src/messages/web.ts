export const web = {
  csrfFailed: "Phiên làm việc không hợp lệ hoặc biểu mẫu đã cũ. Vui lòng tải lại trang và thử lại.",
  signInFailed: "Tên đăng nhập hoặc mật khẩu không đúng.",
  signInRequired: "Vui lòng đăng nhập để tiếp tục.",
  signedOut: "Bạn đã đăng xuất.",
};
