namespace EvoMerge.Zoo.Data;

/// <summary>A person, named in both languages (Japanese names in kanji or kana, others in katakana).</summary>
internal sealed record Person(string En, string Ja, bool Female)
{
    public string He => Female ? "She" : "He";
    public string Him => Female ? "her" : "him";
    public string His => Female ? "her" : "his";
}

/// <summary>A countable thing: English singular and plural, Japanese word and counter (個, 本, 枚 ...).</summary>
internal sealed record Thing(string One, string Many, string Ja, string Counter)
{
    public string En(int n) => n == 1 ? One : Many;
}

/// <summary>A place: English noun, Japanese noun, and the English preposition before "the" (at, in).</summary>
internal sealed record Place(string En, string Ja, string At = "at");

/// <summary>An activity: English third-person phrase and Japanese predicate with its object.</summary>
internal sealed record Activity(string En, string Ja);

/// <summary>An English/Japanese word pair (adjectives, foods, colors, weather).</summary>
internal sealed record Word(string En, string Ja);

/// <summary>The shared vocabulary of the generated corpora.</summary>
internal static class Lexicon
{
    public static readonly Person[] People =
    [
        new("Tom", "トム", false),
        new("Anna", "アンナ", true),
        new("Ben", "ベン", false),
        new("Lucy", "ルーシー", true),
        new("Sam", "サム", false),
        new("Emma", "エマ", true),
        new("Max", "マックス", false),
        new("Mia", "ミア", true),
        new("Taro", "太郎", false),
        new("Hanako", "花子", true),
        new("Kenta", "健太", false),
        new("Sakura", "さくら", true),
        new("Jiro", "次郎", false),
        new("Misaki", "美咲", true),
        new("Ren", "蓮", false),
        new("Yui", "結衣", true),
        new("Shota", "翔太", false),
        new("Aoi", "葵", true),
    ];

    /// <summary>Things for general sentences and counts (a superset of the math vocabularies).</summary>
    public static readonly Thing[] Things =
    [
        new("apple", "apples", "りんご", "個"),
        new("orange", "oranges", "みかん", "個"),
        new("egg", "eggs", "卵", "個"),
        new("ball", "balls", "ボール", "個"),
        new("stone", "stones", "石", "個"),
        new("rice ball", "rice balls", "おにぎり", "個"),
        new("cake", "cakes", "ケーキ", "個"),
        new("pencil", "pencils", "鉛筆", "本"),
        new("pen", "pens", "ペン", "本"),
        new("flower", "flowers", "花", "本"),
        new("umbrella", "umbrellas", "傘", "本"),
        new("banana", "bananas", "バナナ", "本"),
        new("bottle", "bottles", "ボトル", "本"),
        new("stamp", "stamps", "切手", "枚"),
        new("plate", "plates", "皿", "枚"),
        new("card", "cards", "カード", "枚"),
        new("sticker", "stickers", "シール", "枚"),
        new("cookie", "cookies", "クッキー", "枚"),
        new("book", "books", "本", "冊"),
        new("notebook", "notebooks", "ノート", "冊"),
        new("picture book", "picture books", "絵本", "冊"),
        new("cat", "cats", "猫", "匹"),
        new("dog", "dogs", "犬", "匹"),
        new("fish", "fish", "魚", "匹"),
        new("rabbit", "rabbits", "うさぎ", "匹"),
        new("bird", "birds", "鳥", "羽"),
        new("duck", "ducks", "アヒル", "羽"),
        new("car", "cars", "車", "台"),
        new("bicycle", "bicycles", "自転車", "台"),
        new("child", "children", "子ども", "人"),
    ];

    /// <summary>Which of <see cref="Things"/> are animals (they "are" somewhere: いる, not ある).</summary>
    public static bool IsAnimate(Thing t) => t.Counter is "匹" or "羽" or "人";

    public static readonly Place[] Places =
    [
        new("park", "公園", "in"),
        new("library", "図書館"),
        new("school", "学校"),
        new("station", "駅"),
        new("store", "店"),
        new("kitchen", "台所", "in"),
        new("garden", "庭", "in"),
        new("cafe", "喫茶店"),
        new("beach", "海"),
        new("museum", "博物館"),
        new("hospital", "病院"),
        new("zoo", "動物園"),
    ];

    public static readonly Activity[] Activities =
    [
        new("reads a book", "本を読みます"),
        new("eats lunch", "昼ごはんを食べます"),
        new("plays soccer", "サッカーをします"),
        new("buys bread", "パンを買います"),
        new("drinks tea", "お茶を飲みます"),
        new("writes a letter", "手紙を書きます"),
        new("watches a movie", "映画を見ます"),
        new("studies English", "英語を勉強します"),
        new("draws a picture", "絵をかきます"),
        new("sings a song", "歌を歌います"),
        new("meets a friend", "友だちに会います"),
        new("takes a photo", "写真をとります"),
        new("cleans the room", "部屋をそうじします"),
        new("waits for the bus", "バスを待ちます"),
    ];

    public static readonly Word[] AnimalAdjectives =
    [
        new("big", "大きい"),
        new("small", "小さい"),
        new("cute", "かわいい"),
        new("fast", "速い"),
        new("quiet", "静か"),
        new("white", "白い"),
        new("black", "黒い"),
        new("brown", "茶色い"),
    ];

    public static readonly Word[] Foods =
    [
        new("bread", "パン"),
        new("rice", "ごはん"),
        new("noodles", "うどん"),
        new("curry", "カレー"),
        new("sushi", "すし"),
        new("soup", "スープ"),
        new("ice cream", "アイスクリーム"),
        new("fruit", "果物"),
        new("milk", "牛乳"),
    ];

    public static readonly Word[] Weather =
    [
        new("sunny", "晴れ"),
        new("rainy", "雨"),
        new("cloudy", "くもり"),
        new("snowy", "雪"),
        new("windy", "風が強い日"),
    ];

    /// <summary>Things with an unambiguous color, for color sentences and questions.</summary>
    public static readonly (Word Thing, Word Color)[] Colors =
    [
        (new("apple", "りんご"), new("red", "赤")),
        (new("banana", "バナナ"), new("yellow", "黄色")),
        (new("sky", "空"), new("blue", "青")),
        (new("snow", "雪"), new("white", "白")),
        (new("grass", "草"), new("green", "緑")),
        (new("crow", "カラス"), new("black", "黒")),
        (new("orange", "みかん"), new("orange", "オレンジ色")),
        (new("strawberry", "いちご"), new("red", "赤")),
        (new("lemon", "レモン"), new("yellow", "黄色")),
    ];

    /// <summary>Animal sounds: English animal, Japanese animal, English sound, Japanese sound.</summary>
    public static readonly (Word Animal, Word Sound)[] Sounds =
    [
        (new("dog", "犬"), new("woof", "ワン")),
        (new("cat", "猫"), new("meow", "ニャー")),
        (new("cow", "牛"), new("moo", "モー")),
        (new("sheep", "羊"), new("baa", "メー")),
        (new("frog", "カエル"), new("ribbit", "ケロケロ")),
        (new("duck", "アヒル"), new("quack", "ガーガー")),
        (new("rooster", "ニワトリ"), new("cock-a-doodle-doo", "コケコッコー")),
        (new("crow", "カラス"), new("caw", "カーカー")),
    ];

    /// <summary>Opposite adjectives (English, Japanese) pairs.</summary>
    public static readonly (Word A, Word B)[] Opposites =
    [
        (new("big", "大きい"), new("small", "小さい")),
        (new("hot", "暑い"), new("cold", "寒い")),
        (new("long", "長い"), new("short", "短い")),
        (new("new", "新しい"), new("old", "古い")),
        (new("fast", "速い"), new("slow", "遅い")),
        (new("high", "高い"), new("low", "低い")),
        (new("heavy", "重い"), new("light", "軽い")),
        (new("bright", "明るい"), new("dark", "暗い")),
    ];

    public static readonly Word[] Seasons =
    [
        new("spring", "春"),
        new("summer", "夏"),
        new("autumn", "秋"),
        new("winter", "冬"),
    ];

    /// <summary>Daily routines with an hour: English phrase, Japanese phrase after 時に.</summary>
    public static readonly (Activity Routine, int From, int To)[] Routines =
    [
        (new("gets up", "起きます"), 5, 9),
        (new("eats breakfast", "朝ごはんを食べます"), 6, 9),
        (new("goes to school", "学校に行きます"), 7, 9),
        (new("comes home", "家に帰ります"), 3, 7),
        (new("takes a bath", "おふろに入ります"), 6, 10),
        (new("goes to bed", "寝ます"), 8, 11),
    ];

    public static readonly string[] Relatives =
    [
        "お母さん",
        "お父さん",
        "おばあさん",
        "おじいさん",
        "先生",
        "兄",
        "姉",
    ];
}
