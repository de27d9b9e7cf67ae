/// Rows printed as aligned columns, three spaces apart, as Docker's and runc's tables (Go's tabwriter): a
/// column is at least `minimumWidth` wide, spaces included (Docker's ps and stats 10, its top 20).
enum Table {
    static func text(_ rows: [[String]], minimumWidth: Int = 0) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in max((rows.map { $0[column].count }.max() ?? 0) + 3, minimumWidth) }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined() + "\n"
        }.joined()
    }
}
