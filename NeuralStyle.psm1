# The module's root. Before the cmdlet assembly is imported, its reference to the engine is routed into
# NeuralStyle's own AssemblyLoadContext (PowerShell reads the cmdlet types, whose fields use the engine's
# enums, before a binary module's initializer could run; see ModuleInitializer.cs). From then on the engine
# and every library it uses (TorchSharp, ImageSharp, Google.Protobuf, ...) load from Dependencies/ there.
Add-Type -LiteralPath (Join-Path $PSScriptRoot 'NeuralStyle.PowerShell.dll')
[NeuralStyle.PowerShell.Infrastructure.ModuleInitializer]::Register()
Import-Module (Join-Path $PSScriptRoot 'NeuralStyle.PowerShell.dll')
Export-ModuleMember -Cmdlet *
