namespace Yishi.Engine.Ballots;

/// <summary>
/// A share of a whole, as statutes write it, where the words decide the edge: "过半数" (more than half) is strictly
/// greater, "三分之二以上" (two-thirds or more, "以上" counting the number itself) includes it. Counted in integers,
/// so 2/3 of 30 is exactly 20, never 19.999….
/// </summary>
/// <param name="Numerator">Top of the fraction.</param>
/// <param name="Denominator">Bottom of the fraction.</param>
/// <param name="Inclusive">Whether reaching the share exactly is enough ("以上") or more is needed ("过").</param>
public sealed record Share(int Numerator, int Denominator, bool Inclusive)
{
    /// <summary>"过半数": more than half.</summary>
    public static Share MoreThanHalf { get; } = new(1, 2, Inclusive: false);

    /// <summary>"三分之二以上": two-thirds or more.</summary>
    public static Share TwoThirdsOrMore { get; } = new(2, 3, Inclusive: true);

    /// <summary>No threshold at all (a ballot without a quorum).</summary>
    public static Share Any { get; } = new(0, 1, Inclusive: true);

    /// <summary>Whether <paramref name="count"/> out of <paramref name="whole"/> reaches the share.</summary>
    public bool ReachedBy(int count, int whole)
    {
        var left = (long)count * Denominator;
        var right = (long)Numerator * whole;
        return Inclusive ? left >= right : left > right;
    }

    /// <inheritdoc />
    public override string ToString() => $"{(Inclusive ? "≥" : ">")} {Numerator}/{Denominator}";
}
