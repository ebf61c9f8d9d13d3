using System.Text;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Checkpoints;

public sealed class SafetensorsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("models/llama-tiny", "BF16", 4)]
    [InlineData("models/mistral-tiny-sharded", "F16", 3)]
    [InlineData("models/qwen2-tiny", "F32", 2)]
    public void Reads_fixture_checkpoints(string folder, string dtype, int layers)
    {
        using var reader = CheckpointReader.Open(Fixtures.Path(folder));
        Assert.Contains("model.embed_tokens.weight", reader.Names);
        for (int i = 0; i < layers; i++)
            Assert.Contains($"model.layers.{i}.self_attn.q_proj.weight", reader.Names);
        var info = reader.Info("model.embed_tokens.weight");
        Assert.Equal(dtype, info.Dtype.ToString());
        using var scope = torch.NewDisposeScope();
        var embed = reader.Load("model.embed_tokens.weight", dtype: torch.ScalarType.Float32);
        Assert.Equal(info.Shape.ToArray(), embed.shape);
        Assert.True(embed.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Sharded_fixture_spans_four_files()
    {
        using var reader = CheckpointReader.Open(Fixtures.Path("models/mistral-tiny-sharded"));
        Assert.Equal(4, reader.Files.Count);
    }

    [Fact]
    public void Write_then_read_round_trips_every_dtype_and_shards()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new List<(string, torch.Tensor)>
        {
            ("a.f32", torch.randn(3, 5)),
            ("b.bf16", torch.randn(7, 2).to_type(torch.ScalarType.BFloat16)),
            ("c.f16", torch.randn(4).to_type(torch.ScalarType.Float16)),
            ("d.i64", torch.arange(10, dtype: torch.ScalarType.Int64).reshape(2, 5)),
            ("e.scalar", torch.tensor(3.5f)),
        };
        var output = Path.Combine(_dir, "out");
        CheckpointWriter.WriteFolder(output, tensors, maxShardBytes: 64);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors.index.json")));
        Assert.Contains("model-00001-of-", string.Join(",", Directory.GetFiles(output)));
        Assert.DoesNotContain(
            Directory.GetDirectories(_dir),
            d => Path.GetFileName(d).StartsWith('.')
        );
        using var reader = CheckpointReader.Open(output);
        foreach (var (name, tensor) in tensors)
        {
            var loaded = reader.Load(name);
            Assert.Equal(tensor.dtype, loaded.dtype);
            Assert.True(tensor.eq(loaded).all().item<bool>(), name);
        }
        Assert.Equal("pt", reader.Files[0].Metadata["format"]);
    }

    [Fact]
    public void Reads_each_tensor_into_a_reused_buffer_and_names_a_tensor_cut_short_after_open()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(_dir, "two.safetensors");
        var a = torch.arange(0, 600, dtype: torch.ScalarType.Float32).reshape(20, 30);
        var b = torch.arange(0, 40, dtype: torch.ScalarType.BFloat16);
        CheckpointWriter.WriteFile(path, [("a", a), ("b", b)]);
        using (var file = SafetensorsFile.Open(path))
        {
            // One flat buffer, narrowed per tensor, as the streaming merge reuses its buffers.
            var buffer = torch.empty([600], torch.ScalarType.Float32);
            file.CopyInto(file.Info("a"), buffer);
            Assert.True(buffer.reshape(20, 30).eq(a).all().item<bool>());
            Assert.True(file.Load("b").eq(b).all().item<bool>());
            Assert.True(
                file.Load("b", dtype: torch.ScalarType.Float32)
                    .eq(b.to_type(torch.ScalarType.Float32))
                    .all()
                    .item<bool>()
            );
        }
        // Opened with its header intact, then cut inside the last tensor (a copy still being written, a full disk).
        using var cut = SafetensorsFile.Open(path);
        var last = cut.Tensors.Values.MaxBy(t => t.End)!;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            stream.SetLength(stream.Length - 2);
        var e = Assert.Throws<SafetensorsException>(() => cut.Load(last.Name));
        Assert.Contains("file ends inside the tensor", e.Message);
        Assert.Contains(last.Name, e.Message);
    }

    [Fact]
    public void Abandoned_writer_leaves_nothing_behind()
    {
        using (var scope = torch.NewDisposeScope())
        using (
            var writer = new CheckpointWriter(
                Path.Combine(_dir, "never"),
                [new TensorSpec("x", SafetensorsDtype.F32, new long[] { 2 })]
            )
        )
            writer.Write("x", torch.ones(2));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    // ---- malformed input: one typed error per class, naming the file and the problem ----

    static byte[] Build(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    SafetensorsException OpenBroken(byte[] bytes, string name = "broken.safetensors")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<SafetensorsException>(() =>
            CheckpointReader.Open(path).Dispose()
        );
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void Truncated_file() => Assert.Contains("truncated", OpenBroken([1, 2, 3]).Message);

    [Fact]
    public void Header_length_past_eof()
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), 1000UL);
        Assert.Contains("past the end of the file", OpenBroken(bytes).Message);
    }

    [Fact]
    public void Header_length_over_limit()
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), 200_000_000UL);
        Assert.Contains("limit", OpenBroken(bytes).Message);
    }

    [Fact]
    public void Bad_json() =>
        Assert.Contains("not valid JSON", OpenBroken(Build("{\"a\": [", 0)).Message);

    [Fact]
    public void Overlapping_offsets()
    {
        var error = OpenBroken(
            Build(
                """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
                12
            )
        );
        Assert.Equal("b", error.Tensor);
        Assert.Contains("overlap", error.Message);
    }

    [Fact]
    public void Wrong_byte_length()
    {
        var error = OpenBroken(
            Build("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8)
        );
        Assert.Equal("a", error.Tensor);
        Assert.Contains("does not match shape", error.Message);
    }

    [Fact]
    public void Offsets_past_data_section() =>
        Assert.Contains(
            "run past the data section",
            OpenBroken(
                Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4)
            ).Message
        );

    [Fact]
    public void Unknown_dtype() =>
        Assert.Contains(
            "unknown dtype 'F8_X'",
            OpenBroken(
                Build("""{"a":{"dtype":"F8_X","shape":[2],"data_offsets":[0,2]}}""", 2)
            ).Message
        );

    [Fact]
    public void Missing_shard()
    {
        var folder = Path.Combine(_dir, "sharded");
        Directory.CreateDirectory(folder);
        File.WriteAllText(
            Path.Combine(folder, "model.safetensors.index.json"),
            """{"weight_map":{"a":"model-00001-of-00002.safetensors"}}"""
        );
        var error = Assert.Throws<SafetensorsException>(() => CheckpointReader.Open(folder));
        Assert.Contains("missing shard 'model-00001-of-00002.safetensors'", error.Message);
        Assert.Contains("model.safetensors.index.json", error.Message);
    }

    [Fact]
    public void Pickle_checkpoint_is_refused_not_loaded()
    {
        var folder = Path.Combine(_dir, "pickled");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "pytorch_model.bin"), [0x80, 0x02, 0x7d, 0x71]);
        var error = Assert.Throws<SafetensorsException>(() => CheckpointReader.Open(folder));
        Assert.Contains("pickle", error.Message);
        Assert.Contains("pytorch_model.bin", error.Message);
    }
}
