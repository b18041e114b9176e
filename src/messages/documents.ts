export const documents = {
  documentNotFound: (id: string) => `Không tìm thấy văn bản "${id}" của hồ sơ này.`,
  renderFailed: "Không tạo được văn bản PDF của hồ sơ.",
};
