using System.Text;

namespace Yishi.Server.Residents;

/// <summary>One cell of a CSV file, with where it stands (line and column from 1, as a spreadsheet shows them).</summary>
internal sealed record CsvCell(int Line, int Column, string Text);

/// <summary>
/// Reads CSV as RFC 4180 writes it (commas, double quotes, quotes doubled inside quotes, CRLF or LF), the way a
/// spreadsheet exports a registry. A byte-order mark is skipped. Problems come back with their line and column.
/// </summary>
internal static class CsvTable
{
    public static (List<List<CsvCell>> Rows, string? Error, int ErrorLine) Read(string text)
    {
        var rows = new List<List<CsvCell>>();
        var row = new List<CsvCell>();
        var cell = new StringBuilder();
        var (line, column, cellLine, cellColumn) = (1, 1, 1, 1);
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;

        void EndCell()
        {
            row.Add(new CsvCell(cellLine, cellColumn, cell.ToString()));
            cell.Clear();
        }

        void EndRow()
        {
            EndCell();
            if (row.Count > 1 || row[0].Text.Length > 0)
            {
                rows.Add(row);
            }

            row = [];
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                    line += c == '\n' ? 1 : 0;
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    EndCell();
                    column++;
                    (cellLine, cellColumn) = (line, column);
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    column = 1;
                    (cellLine, cellColumn) = (line, column);
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            return (rows, "A quoted value is not closed before the end of the file.", cellLine);
        }

        EndRow();
        return (rows, null, 0);
    }
}
