using System.Diagnostics;
using System.Text;
using CsCheck;
using EvoMerge.Checkpoints.Safetensors;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace EvoMerge.Tests.Checkpoints;

/// <summary>
/// Property: whatever bytes a .safetensors file holds, <see cref="SafetensorsFile.Open"/> either
/// opens it (and then every tensor loads) or throws <see cref="SafetensorsException"/>; no other
/// exception, no crash. Cases are valid files mutated in their header text (offsets, dtypes,
/// shapes, keys), their header length, their bytes, or cut short.
/// </summary>
public sealed class SafetensorsFuzzTests(ITestOutputHelper output) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly SafetensorsDtype[] Dtypes = Enum.GetValues<SafetensorsDtype>();

    /// <summary>One tensor of a generated file: dtype index and dimensions.</summary>
    sealed record Spec(int Dtype, int[] Dims);

    /// <summary>A generated case: the tensors, then which mutation, where and with what.</summary>
    sealed record Case(Spec[] Tensors, int Mutation, int Where, int What, ulong Number);

    static readonly Gen<Case> Cases = Gen.Select(
        Gen.Select(
            Gen.Int[0, Dtypes.Length - 1],
            Gen.Int[0, 4].Array[0, 3],
            (d, s) => new Spec(d, s)
        ).Array[1, 4],
        Gen.Int[0, 15],
        Gen.Int[0, 1_000_000],
        Gen.Int[0, 1_000_000],
        Gen.ULong,
        (t, m, w, x, n) => new Case(t, m, w, x, n)
    );

    /// <summary>The header entries as text, so mutations can break them in any way JSON allows.</summary>
    static List<(string Name, string Dtype, string Shape, string Offsets)> Entries(Case c)
    {
        var entries = new List<(string, string, string, string)>();
        long offset = 0;
        for (int i = 0; i < c.Tensors.Length; i++)
        {
            var dtype = Dtypes[c.Tensors[i].Dtype];
            long bytes = c.Tensors[i].Dims.Aggregate(1L, (a, b) => a * b) * dtype.Size();
            entries.Add(
                (
                    $"t{i}",
                    $"\"{dtype}\"",
                    "[" + string.Join(",", c.Tensors[i].Dims) + "]",
                    $"[{offset},{offset + bytes}]"
                )
            );
            offset += bytes;
        }
        return entries;
    }

    static readonly string[] BadValues =
    [
        "\"12\"",
        "-1",
        "1.5",
        "1e30",
        "9223372036854775807",
        "18446744073709551615",
        "null",
        "true",
        "[]",
        "{}",
        "\"\"",
        "[0]",
        "[0,1,2]",
        "[\"0\",\"4\"]",
        "[4,0]",
        "[-8,0]",
        "[4294967296,4294967296]",
        "\"F33\"",
        "\"f32\"",
        "\"1\"",
        "[9223372036854775807,2]",
        "[3037000500,3037000500]",
    ];

    static byte[] Build(Case c)
    {
        var entries = Entries(c);
        int target = c.Where % entries.Count;
        string bad = BadValues[c.What % BadValues.Length];
        var fields = new List<string>();
        if (c.Mutation == 6)
            fields.Add($"\"__metadata__\":{(c.What % 2 == 0 ? bad : "{\"format\":" + bad + "}")}");
        else
            fields.Add("\"__metadata__\":{\"format\":\"pt\"}");
        for (int i = 0; i < entries.Count; i++)
        {
            var (name, dtype, shape, offsets) = entries[i];
            if (i == target)
                switch (c.Mutation)
                {
                    case 1:
                        offsets = bad;
                        break;
                    case 2:
                        dtype = bad;
                        break;
                    case 3:
                        shape = bad;
                        break;
                    case 4:
                        fields.Add($"\"{name}\":{bad}");
                        continue;
                    case 5:
                        // A key given twice.
                        fields.Add(
                            $"\"{name}\":{{\"dtype\":{dtype},\"shape\":{shape},\"data_offsets\":{offsets}}}"
                        );
                        break;
                    case 7:
                        fields.Add($"\"{name}\":{{\"dtype\":{dtype},\"shape\":{shape}}}");
                        continue;
                }
            fields.Add(
                $"\"{name}\":{{\"dtype\":{dtype},\"shape\":{shape},\"data_offsets\":{offsets}}}"
            );
        }
        var header = Encoding.UTF8.GetBytes("{" + string.Join(",", fields) + "}");
        long dataLength = c.Tensors.Sum(t =>
            t.Dims.Aggregate(1L, (a, b) => a * b) * Dtypes[t.Dtype].Size()
        );
        var bytes = new byte[8 + header.Length + dataLength];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(bytes, 8);
        new Random(c.What).NextBytes(bytes.AsSpan(8 + header.Length));
        switch (c.Mutation)
        {
            case 8: // cut short anywhere
                return bytes[..(int)((ulong)c.Number % (ulong)bytes.Length)];
            case 9: // any header length
                BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), c.Number);
                break;
            case 10: // header length off by a little
                BitConverter.TryWriteBytes(
                    bytes.AsSpan(0, 8),
                    (ulong)(header.Length + (c.What % 17) - 8)
                );
                break;
            case 11: // flip bytes anywhere
                for (int k = 0; k < 1 + c.What % 4; k++)
                    bytes[(int)((c.Number >> (k * 8)) % (ulong)bytes.Length)] ^= (byte)(
                        1 + (c.Where + k) % 255
                    );
                break;
            case 12: // extra bytes after the data
                return [.. bytes, .. new byte[1 + c.What % 9]];
            case 13: // a header byte replaced by one of the JSON-significant characters
            {
                var chars = "{}[]\",:0-\\\u00ff";
                bytes[8 + c.Where % header.Length] = (byte)chars[c.What % chars.Length];
                break;
            }
        }
        return bytes;
    }

    [Fact]
    public void Reader_throws_only_its_typed_exception_on_mutated_files()
    {
        var watch = Stopwatch.StartNew();
        int opened = 0,
            refused = 0;
        Cases.Sample(
            c =>
            {
                var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.safetensors");
                File.WriteAllBytes(path, Build(c));
                try
                {
                    using var file = SafetensorsFile.Open(path);
                    using var scope = torch.NewDisposeScope();
                    foreach (var name in file.Tensors.Keys)
                        file.Load(name);
                    Interlocked.Increment(ref opened);
                }
                catch (SafetensorsException)
                {
                    Interlocked.Increment(ref refused);
                }
                finally
                {
                    File.Delete(path);
                }
            },
            iter: 10_000
        );
        output.WriteLine(
            $"10000 cases in {watch.Elapsed.TotalSeconds:0.0} s: {opened} opened, {refused} refused"
        );
        Assert.Equal(10_000, opened + refused);
        Assert.InRange(opened, 500, 9_500); // both outcomes are exercised
    }

    /// <summary>A file from header text and a data section of <paramref name="data"/> bytes; <paramref name="cut"/> drops trailing bytes.</summary>
    static byte[] Bytes(string header, int data, int cut = 0)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes[..^cut];
    }

    const string T0 = "\"t0\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    /// <summary>The malformed classes found by hand (issue 15) and by the fuzz, each with the line it must give.</summary>
    public static TheoryData<string, byte[], string> Corpus() =>
        new()
        {
            {
                "duplicate key",
                Bytes("{" + T0 + "," + T0 + "}", 8),
                "the header names this tensor twice"
            },
            {
                "data_offsets as strings",
                Bytes(
                    "{\"t0\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"8\"]}}",
                    8
                ),
                "data_offsets must be [begin, end] (two integers), got [\"0\",\"8\"]"
            },
            {
                "numeric dtype",
                Bytes("{\"t0\":{\"dtype\":\"12\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "unknown dtype '12'"
            },
            {
                "invalid UTF-8",
                [.. Bytes("{" + T0 + "}", 8)[..9], 0xff, .. Bytes("{" + T0 + "}", 8)[10..]],
                "not valid UTF-8"
            },
            { "cut in the data", Bytes("{" + T0 + "}", 8, cut: 3), "run past the data section" },
            {
                "cut in the header",
                Bytes("{" + T0 + "}", 8)[..20],
                "runs past the end of the file"
            },
            { "empty file", [], "shorter than the 8-byte header length" },
            {
                "a hole",
                Bytes("{\"t0\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "hole in the data section before offset 4"
            },
            {
                "overlap",
                Bytes(
                    "{" + T0 + ",\"t1\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                    8
                ),
                "overlap tensor"
            },
            {
                "wrapped element count",
                Bytes(
                    "{\"t0\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}",
                    0
                ),
                "shape is too large"
            },
            { "not an object", Bytes("[1,2]", 0), "header is not a JSON object" },
            {
                "extra bytes",
                Bytes("{" + T0 + "}", 12),
                "data section is 12 bytes but tensors cover 8"
            },
        };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Corpus_of_malformed_files_gives_one_line_naming_the_file(
        string name,
        byte[] bytes,
        string problem
    )
    {
        var path = Path.Combine(_dir, name.Replace(' ', '_') + ".safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
