/** Vietnamese texts of the working-day calendar and its API. */
export const calendar = {
  weekend: (weekday: number) => (weekday === 6 ? "Thứ Bảy (nghỉ hằng tuần)" : "Chủ nhật (nghỉ hằng tuần)"),
  newYear: "Tết Dương lịch (01/01)",
  lunarNewYear: (n: number) => (n === 0 ? "Tết Âm lịch (ngày cuối năm âm lịch)" : `Tết Âm lịch (mùng ${n})`),
  hungKings: "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
  reunification: "Ngày Chiến thắng (30/4)",
  labour: "Ngày Quốc tế lao động (01/5)",
  nationalDay: "Quốc khánh (02/9)",
  nationalDayAdjacent: "Quốc khánh (ngày liền kề 02/9)",
  compensatory: (what: string) => `Nghỉ bù (ngày lễ ${what} trùng ngày nghỉ hằng tuần)`,
  invalidDate: (s: string) => `Ngày "${s}" không hợp lệ; dùng định dạng YYYY-MM-DD.`,
  yearOutOfRange: (y: number) => `Năm ${y} nằm ngoài phạm vi lịch làm việc được hỗ trợ (2000–2100).`,
  overrideYearMismatch: (d: string, y: number) => `Ngày ${d} không thuộc năm ${y}.`,
  overrideConflict: (d: string) => `Ngày ${d} vừa được khai báo là ngày nghỉ vừa là ngày làm việc.`,
  recomputed: (y: number) => `Tính lại hạn kiểm duyệt do lịch làm việc năm ${y} được điều chỉnh.`,
  noOverrides: (y: number) => `Năm ${y} không có điều chỉnh nào do quản trị viên lưu; lịch đang theo tệp mặc định.`,
};
