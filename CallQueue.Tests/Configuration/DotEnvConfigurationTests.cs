using CallQueue.Api.Configuration;
using Microsoft.AspNetCore.Builder;

namespace CallQueue.Tests.Configuration;

/// <summary>The seed's .env file: read from the working directory, above appsettings.json, below real environment variables.</summary>
[TestFixture]
public sealed class DotEnvConfigurationTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("callqueue-dotenv-").FullName;
        File.WriteAllText(Path.Combine(_directory, "appsettings.json"), """{ "QUEUE_WORKERS": 10, "PORT": 8000, "CQ_TEST_ONLY_IN_ENV_FILE": "" }""");
        File.WriteAllText(Path.Combine(_directory, ".env"), """
            # comment
            export QUEUE_WORKERS=3
            PORT="9100"
            CQ_TEST_ONLY_IN_ENV_FILE='quoted value' # trailing comment
            CQ_TEST_ENV_WINS=from-dotenv
            """);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void AddDotEnvFile_WebApplicationBuilder_EnvFileBeatsAppSettingsAndEnvironmentBeatsEnvFile()
    {
        Environment.SetEnvironmentVariable("CQ_TEST_ENV_WINS", "from-environment");
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _directory });
            builder.Configuration.AddDotEnvFile(_directory);

            Assert.Multiple(() =>
            {
                Assert.That(builder.Configuration["QUEUE_WORKERS"], Is.EqualTo("3"));
                Assert.That(builder.Configuration["PORT"], Is.EqualTo("9100"));
                Assert.That(builder.Configuration["CQ_TEST_ONLY_IN_ENV_FILE"], Is.EqualTo("quoted value"));
                Assert.That(builder.Configuration["CQ_TEST_ENV_WINS"], Is.EqualTo("from-environment"));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("CQ_TEST_ENV_WINS", null);
        }
    }
}
