using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// English arithmetic word problems in two styles, standing in for the paper's two math models.
/// The operation is never named: it follows from the story's verb (buys, finds → +; eats, loses → −),
/// so the model has to read the question.
/// </summary>
internal static class EnglishMath
{
    /// <summary>Things a person owns in style A (none of them appears in the Japanese target).</summary>
    static readonly (string One, string Many, bool Edible)[] OwnedThings =
    [
        ("apple", "apples", true),
        ("orange", "oranges", true),
        ("cookie", "cookies", true),
        ("candy", "candies", true),
        ("muffin", "muffins", true),
        ("marble", "marbles", false),
        ("sticker", "stickers", false),
        ("pen", "pens", false),
        ("card", "cards", false),
        ("balloon", "balloons", false),
        ("toy car", "toy cars", false),
        ("coin", "coins", false),
        ("crayon", "crayons", false),
        ("button", "buttons", false),
    ];

    static readonly string[] Friends = ["his friend", "a friend", "the teacher", "a neighbor"];

    /// <summary>
    /// MATH-A: a person's things change by one story step. Answer: <c>23 + 15 = 38. #### 38</c>.
    /// </summary>
    public static MathProblem StyleA(DataRandom r, int min, int max, double subtractionShare)
    {
        var (a, b, sub) = MathProblem.Draw(r, min, max, subtractionShare);
        var p = r.Pick(Lexicon.People);
        var (one, many, edible) = r.Pick(OwnedThings);
        string Of(int n) => n == 1 ? one : many;
        var start = $"{p.En} has {N(a)} {Of(a)}.";
        string step;
        if (!sub)
        {
            step = r.Next(4) switch
            {
                0 => $"{p.He} buys {N(b)} more {Of(b)}.",
                1 =>
                    $"{p.He} gets {N(b)} more {Of(b)} from {r.Pick(Friends).Replace("his", p.His)}.",
                2 => $"{p.He} finds {N(b)} more {Of(b)}.",
                _ => $"{Capitalize(p.His)} mother gives {p.Him} {N(b)} more {Of(b)}.",
            };
        }
        else
        {
            var options = edible ? 4 : 3;
            step = r.Next(options) switch
            {
                0 => $"{p.He} gives away {N(b)} {Of(b)}.",
                1 => $"{p.He} loses {N(b)} {Of(b)}.",
                2 => $"{p.He} sells {N(b)} {Of(b)}.",
                _ => $"{p.He} eats {N(b)} {Of(b)}.",
            };
        }
        var question = $"{start} {step} How many {many} does {p.En} have now?";
        var problem = new MathProblem(question, "", a, b, sub);
        return problem with { Answer = $"{problem.Equation}. #### {N(problem.Result)}" };
    }

    /// <summary>Containers and their contents for style B.</summary>
    static readonly (string Container, string One, string Many)[] Containers =
    [
        ("box", "pen", "pens"),
        ("bag", "sock", "socks"),
        ("jar", "button", "buttons"),
        ("basket", "potato", "potatoes"),
        ("crate", "bottle", "bottles"),
        ("drawer", "spoon", "spoons"),
        ("box", "battery", "batteries"),
        ("bin", "can", "cans"),
        ("cupboard", "cup", "cups"),
        ("bag", "tennis ball", "tennis balls"),
    ];

    /// <summary>Vehicles and their passengers or places for style B scenes: add verb, take verb.</summary>
    static readonly (
        string At,
        string Place,
        string One,
        string Many,
        string Add,
        string Take
    )[] Scenes =
    [
        ("in", "parking lot", "car", "cars", "drive in", "drive away"),
        ("on", "bus", "passenger", "passengers", "get on", "get off"),
        ("at", "dock", "boat", "boats", "arrive", "sail away"),
        ("on", "train", "passenger", "passengers", "board", "get off"),
        ("in", "hall", "guest", "guests", "come in", "leave"),
    ];

    /// <summary>
    /// MATH-B: containers and scenes, passive and plural phrasing, a different operation mix.
    /// Answer: <c>We compute 41 - 17 = 24.\n#### 24</c>.
    /// </summary>
    public static MathProblem StyleB(DataRandom r, int min, int max, double subtractionShare)
    {
        var (a, b, sub) = MathProblem.Draw(r, min, max, subtractionShare);
        string question;
        if (r.Chance(0.6))
        {
            var (container, one, many) = r.Pick(Containers);
            string Of(int n) => n == 1 ? one : many;
            string Are(int n) => n == 1 ? "is" : "are";
            var start = $"A {container} holds {N(a)} {Of(a)}.";
            var step = sub
                ? r.Chance(0.5)
                    ? $"{N(b)} {Of(b)} {Are(b)} taken out."
                    : $"{N(b)} {Of(b)} {Are(b)} removed from the {container}."
                : r.Chance(0.5)
                    ? $"{N(b)} more {Of(b)} {Are(b)} put in."
                    : $"{N(b)} {Of(b)} {Are(b)} added to the {container}.";
            var ask =
                sub && r.Chance(0.5)
                    ? $"How many {many} are left?"
                    : $"How many {many} are in the {container} now?";
            question = $"{start} {step} {ask}";
        }
        else
        {
            var (at, place, one, many, add, take) = r.Pick(Scenes);
            string Of(int n) => n == 1 ? one : many;
            var start = $"There {(a == 1 ? "is" : "are")} {N(a)} {Of(a)} {at} {Article(place)}.";
            string Verb(string phrase) => b == 1 ? ThirdPerson(phrase) : phrase;
            var step = sub
                ? $"Then {N(b)} {Of(b)} {Verb(take)}."
                : $"Then {N(b)} more {Of(b)} {Verb(add)}.";
            question = $"{start} {step} How many {many} are {at} the {place} now?";
        }
        var problem = new MathProblem(question, "", a, b, sub);
        return problem with
        {
            Answer = $"We compute {problem.Equation}.\n#### {N(problem.Result)}",
        };
    }
}
