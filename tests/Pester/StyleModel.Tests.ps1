BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force

    # A loopback port with nothing listening on it.
    function Get-UnusedPort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        return $port
    }

    $resnetExpected = (Test-Path (Join-Path $env:NEURALSTYLE_MODULE 'Dependencies/models/ResNet18.onnx')) ? 'Bundled' : 'Missing'
}

Describe 'Get-StyleModel and Save-StyleModel' {
    BeforeEach {
        $savedCache = $env:NEURALSTYLE_MODEL_CACHE
        $savedBase = $env:NEURALSTYLE_MODEL_BASEURL
        $cache = Join-Path $TestDrive ([guid]::NewGuid())
        $env:NEURALSTYLE_MODEL_CACHE = $cache
        $env:NEURALSTYLE_MODEL_BASEURL = $null
    }
    AfterEach {
        $env:NEURALSTYLE_MODEL_CACHE = $savedCache
        $env:NEURALSTYLE_MODEL_BASEURL = $savedBase
    }

    It 'lists resnet18 and vgg19 with their state in an empty cache' {
        $models = Get-StyleModel
        $models.Name | Should -Be 'resnet18', 'vgg19'
        $models[0].PSObject.TypeNames[0] | Should -Be 'NeuralStyle.PowerShell.Results.StyleModelInfo'
        $resnet, $vgg = $models
        $resnet.Source | Should -Be 'Bundled'
        $resnet.State | Should -Be $resnetExpected
        $vgg.Source | Should -Be 'Download'
        $vgg.State | Should -Be 'NotDownloaded'
        $vgg.Path | Should -Be (Join-Path $cache 'vgg19-dcbb9e9d.pth')
        $vgg.Url | Should -Be 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'
        $vgg.Size | Should -BeGreaterThan 500MB
    }

    It 'reports a partial download and a cached file' {
        $null = New-Item -ItemType Directory $cache
        [IO.File]::WriteAllBytes((Join-Path $cache 'vgg19-dcbb9e9d.pth.partial'), [byte[]](1..10))
        (Get-StyleModel vgg19).State | Should -Be 'Partial'
        Move-Item (Join-Path $cache 'vgg19-dcbb9e9d.pth.partial') (Join-Path $cache 'vgg19-dcbb9e9d.pth')
        (Get-StyleModel vgg19).State | Should -Be 'Cached'
        (Get-StyleModel vgg19).Size | Should -Be 10
    }

    It 'has a default table view and takes wildcards' {
        (Get-StyleModel 'vgg*').Name | Should -Be 'vgg19'
        Get-StyleModel | Format-Table | Out-String | Should -Match 'Name\s+Source\s+State\s+Size\(MB\)\s+Path'
    }

    It 'says what auto picks and why' {
        if ($resnetExpected -eq 'Bundled') {
            $auto = Get-StyleModel auto -Verbose 4>&1
            ($auto | Where-Object Name).Name | Should -Be 'resnet18'
            ($auto | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
                Should -Be "Auto picked the bundled resnet18: vgg19 is not downloaded; 'Save-StyleModel vgg19' gets it."
        }
        else {
            # No bundled model in this build: auto has nothing to offer and says so.
            { Get-StyleModel auto -ErrorAction Stop } | Should -Throw -ExpectedMessage '*vgg19 is not downloaded*resnet18 is missing*'
        }
    }

    It 'reports an unknown name as a non-terminating ObjectNotFound error' {
        $result = Get-StyleModel alexnet, vgg19 -ErrorVariable err -ErrorAction SilentlyContinue
        $result.Name | Should -Be 'vgg19'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'completes model names for -Name' {
        $line = 'Save-StyleModel -Name v'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'vgg19'
        $line = 'Get-StyleModel '
        $all = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $all | Should -Contain 'vgg19'
        $all | Should -Contain 'resnet18'
        $all | Should -Contain 'auto'
    }

    It 'offers Save-StyleModel only the models it can download' {
        $line = 'Save-StyleModel '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('vgg19')
        $line = 'Save-StyleModel r'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
    }

    It 'completes -Model and -ModelPath with folders and weights files for a word that looks like a path, names otherwise' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory (Join-Path $folder 'weights/sub')
        foreach ($name in 'mine.pth', 'net.onnx', 'w.safetensors', 'notes.txt') { Set-Content (Join-Path $folder "weights/$name") x }
        Push-Location $folder
        try {
            $complete = { param($line) @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) }
            $leaves = { param($line) @(& $complete $line | ForEach-Object { Split-Path ($_ -replace '[\\/]$') -Leaf } | Sort-Object) }
            & $leaves 'New-NeuralTexture x.jpg -Model ./weights/' | Should -Be @('mine.pth', 'net.onnx', 'sub', 'w.safetensors')
            & $complete 'New-StyleTransfer x.jpg -ModelPath ./weights/n' | Should -Be @((Join-Path '.' 'weights/net.onnx'))
            & $leaves 'Get-StyleModel weights/m' | Should -Be @('mine.pth')
            & $complete "New-NeuralTexture x.jpg -Model $(Join-Path $folder 'weights/w')" | Should -Be @((Join-Path $folder 'weights/w.safetensors'))
            # ~ and ../ are paths; a bare word is a name (never a file of the current folder).
            & $complete 'New-NeuralTexture x.jpg -Model ~/' | Should -Not -BeNullOrEmpty
            Push-Location weights
            try { & $leaves 'New-NeuralTexture x.jpg -Model ../weights/m' | Should -Be @('mine.pth') }
            finally { Pop-Location }
            & $complete 'New-NeuralTexture x.jpg -Model v' | Should -Be @('vgg19')
            & $complete 'New-NeuralTexture x.jpg -Model w' | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
    }

    It 'downloads nothing with -WhatIf' {
        # Even the request would fail: nothing listens on this port.
        $env:NEURALSTYLE_MODEL_BASEURL = "http://127.0.0.1:$(Get-UnusedPort)/"
        $out = Save-StyleModel vgg19 -WhatIf -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
        Test-Path $cache | Should -BeFalse
    }

    It 'reports an unreachable server as a ConnectionError' {
        $env:NEURALSTYLE_MODEL_BASEURL = "http://127.0.0.1:$(Get-UnusedPort)/"
        Save-StyleModel vgg19 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelDownloadFailed*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].Exception.Message | Should -BeLike '*Could not reach 127.0.0.1*'
    }

    It 'refuses a mirror that serves a different file, and keeps nothing' {
        $port = Get-UnusedPort
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $bytes = [byte[]]::new(200000); [Random]::new(5).NextBytes($bytes)
        $server = [powershell]::Create().AddScript({
            param($l, $body)
            foreach ($i in 1..3) {   # bounded: the test makes one request
                try { $ctx = $l.GetContext() } catch { break }
                $ctx.Response.ContentLength64 = $body.Length
                $ctx.Response.OutputStream.Write($body, 0, $body.Length)
                $ctx.Response.Close()
            }
        }).AddArgument($listener).AddArgument($bytes)
        $null = $server.BeginInvoke()
        try {
            $env:NEURALSTYLE_MODEL_BASEURL = "http://127.0.0.1:$port/mirror/"
            Save-StyleModel vgg19 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelHashMismatch*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $err[0].Exception.Message | Should -BeLike '*starting with dcbb9e9d*'
            Get-ChildItem $cache -Filter 'vgg19*' | Should -BeNullOrEmpty
            (Get-StyleModel vgg19).State | Should -Be 'NotDownloaded'
        }
        finally {
            $listener.Stop()
            $listener.Close()
            $server.Dispose()
        }
    }

    It 'names the folder and the variable when the cache cannot be written' {
        $locked = New-UnwritableDirectory (Join-Path $TestDrive 'locked')
        try {
            $env:NEURALSTYLE_MODEL_CACHE = Join-Path $locked 'models'
            $env:NEURALSTYLE_MODEL_BASEURL = "http://127.0.0.1:$(Get-UnusedPort)/"
            Save-StyleModel vgg19 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelCacheNotWritable*'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].Exception.Message | Should -BeLike '*NEURALSTYLE_MODEL_CACHE*'
        }
        finally {
            Remove-UnwritableDirectory (Join-Path $TestDrive 'locked')
        }
    }
}
