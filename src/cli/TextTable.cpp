#include "cli/TextTable.h"

#include <algorithm>

namespace wasmops::cli {

static bool isNumeric(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == 'x'; }) &&
         (s[0] != 'x');
}

std::string TextTable::render(const std::string& indent) const {
  const std::size_t cols = header_.size();
  std::vector<std::size_t> width(cols, 0);
  std::vector<bool> numeric(cols, true);
  for (std::size_t c = 0; c < cols; ++c) width[c] = header_[c].size();
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < cols && c < row.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
      if (!row[c].empty() && !isNumeric(row[c])) numeric[c] = false;
    }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out = indent;
    for (std::size_t c = 0; c < cols; ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      std::string pad(width[c] - std::min(width[c], cell.size()), ' ');
      bool last = c + 1 == cols;
      if (numeric[c]) {
        out += pad + cell;
      } else {
        out += cell;
        if (!last) out += pad;
      }
      if (!last) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header_);
  for (const auto& row : rows_) out += line(row);
  return out;
}

}  // namespace wasmops::cli
