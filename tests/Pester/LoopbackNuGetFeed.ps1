# A NuGet v3 feed on loopback for the runtime installer's tests: service index, flat container
# (PackageBaseAddress, with HTTP Range), registration leaves and catalog leaves with each package's
# SHA-512. It serves the .nupkg files it is given (fixtures the tests build, or real packages from the
# NuGet cache) and can misbehave on purpose: cut a transfer, publish a wrong hash, lack a package.

# A .nupkg (a zip with <id>.nuspec at its root) with the given files and dependencies.
function New-FixturePackage([string] $Directory, [string] $Id, [string] $Version, [hashtable] $Files = @{}, [string[]] $Dependencies = @()) {
    Add-Type -AssemblyName System.IO.Compression
    $path = Join-Path $Directory "$($Id.ToLowerInvariant()).$Version.nupkg"
    $zip = [System.IO.Compression.ZipFile]::Open($path, 'Create')
    try {
        $deps = ($Dependencies | ForEach-Object { "<dependency id=`"$_`" version=`"[$Version]`" />" }) -join ''
        $nuspec = "<?xml version=`"1.0`"?><package xmlns=`"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd`"><metadata><id>$Id</id><version>$Version</version>" +
            "<authors>test</authors><description>fixture</description><dependencies><group targetFramework=`".NETStandard2.0`">$deps</group></dependencies></metadata></package>"
        $entries = [ordered]@{ "$Id.nuspec" = [System.Text.Encoding]::UTF8.GetBytes($nuspec) }
        foreach ($key in $Files.Keys) { $entries[$key] = [byte[]]$Files[$key] }
        foreach ($name in $entries.Keys) {
            $stream = $zip.CreateEntry($name).Open()
            try { $stream.Write($entries[$name], 0, $entries[$name].Length) } finally { $stream.Dispose() }
        }
    }
    finally { $zip.Dispose() }
    $path
}

# Starts the feed on 127.0.0.1 in a thread job. -Packages: .nupkg paths (id and version read from their nuspec).
# -CutOnce: package ids whose first transfer stops after half the bytes. -WrongHash: ids published with another hash.
function Start-LoopbackFeed([string[]] $Packages, [string[]] $CutOnce = @(), [string[]] $WrongHash = @()) {
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $base = "http://127.0.0.1:$port/"
    $routes = [hashtable]::Synchronized(@{})
    $routes['/v3/index.json'] = [System.Text.Encoding]::UTF8.GetBytes((@{ version = '3.0.0'; resources = @(
                    @{ '@id' = "${base}flat/"; '@type' = 'PackageBaseAddress/3.0.0' },
                    @{ '@id' = "${base}registration/"; '@type' = 'RegistrationsBaseUrl/3.6.0' }) } | ConvertTo-Json -Depth 5))
    foreach ($package in $Packages) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try {
            $entry = $zip.Entries | Where-Object { $_.FullName -notmatch '/' -and $_.FullName -like '*.nuspec' } | Select-Object -First 1
            $reader = [System.IO.StreamReader]::new($entry.Open()); $nuspec = [xml]$reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $id = $nuspec.package.metadata.id.ToLowerInvariant(); $version = $nuspec.package.metadata.version.ToLowerInvariant()
        $stream = [System.IO.File]::OpenRead($package)
        try { $hash = [Convert]::ToBase64String([System.Security.Cryptography.SHA512]::HashData($stream)) } finally { $stream.Dispose() }
        if ($WrongHash -contains $id) { $hash = [Convert]::ToBase64String([byte[]]::new(64)) }
        $routes["/flat/$id/$version/$id.$version.nupkg"] = @{ File = $package; Cut = $CutOnce -contains $id }
        $routes["/registration/$id/$version.json"] = [System.Text.Encoding]::UTF8.GetBytes((@{ catalogEntry = "${base}catalog/$id.$version.json"; packageContent = "${base}flat/$id/$version/$id.$version.nupkg" } | ConvertTo-Json))
        $routes["/catalog/$id.$version.json"] = [System.Text.Encoding]::UTF8.GetBytes((@{ id = $id; version = $version; packageHash = $hash; packageHashAlgorithm = 'SHA512'; packageSize = (Get-Item $package).Length } | ConvertTo-Json))
    }
    $log = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add($base)
    $listener.Start()
    $job = Start-ThreadJob -ArgumentList $listener, $routes, $log -ScriptBlock {
        param($listener, $routes, $log)
        # Bounded: at most 500 requests, and the loop ends when the test stops the listener.
        for ($n = 0; $n -lt 500 -and $listener.IsListening; $n++) {
            try { $context = $listener.GetContext() } catch { break }
            $request = $context.Request; $response = $context.Response
            $range = $request.Headers['Range']
            $log.Enqueue("$($request.HttpMethod) $($request.Url.AbsolutePath)$(if ($range) { " $range" })")
            try {
                $route = $routes[$request.Url.AbsolutePath]
                if ($null -eq $route) { $response.StatusCode = 404; $response.Close(); continue }
                if ($route -is [byte[]]) {
                    $response.ContentType = 'application/json'; $response.ContentLength64 = $route.Length
                    $response.OutputStream.Write($route, 0, $route.Length); $response.Close(); continue
                }
                $file = [System.IO.File]::OpenRead($route.File)
                try {
                    $start = 0
                    if ($range -match '^bytes=(\d+)-$') {
                        $start = [long]$Matches[1]
                        $response.StatusCode = 206
                        $response.Headers['Content-Range'] = "bytes $start-$($file.Length - 1)/$($file.Length)"
                    }
                    $response.ContentLength64 = $file.Length - $start
                    $file.Position = $start
                    if ($route.Cut) {
                        # Half the bytes, then the connection drops: the client must resume with a Range request.
                        $route.Cut = $false
                        $buffer = [byte[]]::new([int](($file.Length - $start) / 2))
                        $read = $file.Read($buffer, 0, $buffer.Length)
                        $response.OutputStream.Write($buffer, 0, $read); $response.OutputStream.Flush()
                        $response.Abort(); continue
                    }
                    $file.CopyTo($response.OutputStream)
                    $response.Close()
                }
                finally { $file.Dispose() }
            }
            catch { try { $response.Abort() } catch { } }
        }
    }
    [pscustomobject]@{ Index = "${base}v3/index.json"; Base = $base; Log = $log; Listener = $listener; Job = $job }
}

function Stop-LoopbackFeed($Feed) {
    if (-not $Feed) { return }
    $Feed.Listener.Stop(); $Feed.Listener.Close()
    $null = Wait-Job $Feed.Job -Timeout 10
    Remove-Job $Feed.Job -Force
}
