namespace TuneSharp.Data.Perturb;

/// <summary>
/// The letters next to a letter on a QWERTY keyboard: same row left and right, and the touching keys of the rows
/// above and below (rows are staggered, so key c of a row touches keys c and c + 1 of the row above, c − 1 and c of
/// the row below). Case is kept: 'S' → one of "WEADZX".
/// </summary>
public static class KeyboardNeighbours
{
    static readonly string[] Rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

    static readonly Dictionary<char, string> Map = Build();

    static Dictionary<char, string> Build()
    {
        var map = new Dictionary<char, string>();
        for (int r = 0; r < Rows.Length; r++)
            for (int c = 0; c < Rows[r].Length; c++)
            {
                var near = new List<char>();
                void Add(int row, int col) { if (row >= 0 && row < Rows.Length && col >= 0 && col < Rows[row].Length) near.Add(Rows[row][col]); }
                Add(r, c - 1); Add(r, c + 1);
                Add(r - 1, c); Add(r - 1, c + 1);
                Add(r + 1, c - 1); Add(r + 1, c);
                map[Rows[r][c]] = new string([.. near]);
            }
        return map;
    }

    /// <summary>The neighbours of <paramref name="letter"/> in its case; empty for a character that is not an ASCII letter.</summary>
    public static string Of(char letter)
    {
        if (!Map.TryGetValue(char.ToLowerInvariant(letter), out var near)) return "";
        return char.IsUpper(letter) ? near.ToUpperInvariant() : near;
    }
}
