using Yishi.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddYishiServer();

var app = builder.Build();
app.UseYishiServer();
app.Run();

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
