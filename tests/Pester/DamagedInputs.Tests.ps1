BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
    $bundledOnnx = Join-Path $env:NEURALSTYLE_MODULE 'Dependencies/models/ResNet18.onnx'

    # The first $Fraction of a real photo, as an interrupted copy or download leaves it.
    function New-CutCopy([string] $Source, [string] $Destination, [double] $Fraction) {
        [IO.File]::Copy($Source, $Destination, $true)
        $file = [IO.File]::Open($Destination, 'Open', 'ReadWrite')
        try { $file.SetLength([long]($file.Length * $Fraction)) } finally { $file.Dispose() }
    }

    # A valid 8-bit RGB PNG of about 80 bytes whose header claims $Size × $Size.
    function New-ClaimingPng([string] $Path, [int] $Size) {
        function BigEndian([uint32] $Value) { $b = [BitConverter]::GetBytes($Value); [Array]::Reverse($b); , $b }
        function Chunk([string] $Type, [byte[]] $Data) {
            $body = [byte[]]([Text.Encoding]::ASCII.GetBytes($Type) + $Data)
            [uint32] $all = [uint32]::MaxValue; [uint32] $poly = 3988292384   # CRC-32, polynomial 0xEDB88320
            [uint32] $crc = $all
            foreach ($b in $body) {
                $crc = $crc -bxor $b
                for ($k = 0; $k -lt 8; $k++) { $crc = ($crc -band 1) ? (($crc -shr 1) -bxor $poly) : ($crc -shr 1) }
            }
            , [byte[]]((BigEndian $Data.Length) + $body + (BigEndian ($crc -bxor $all)))
        }
        $z = [IO.MemoryStream]::new()
        $zl = [IO.Compression.ZLibStream]::new($z, [IO.Compression.CompressionLevel]::Optimal, $true)
        $zl.Write([byte[]]::new(49), 0, 49); $zl.Dispose()   # a filter byte and 16 pixels of data
        $ihdr = [byte[]]((BigEndian $Size) + (BigEndian $Size) + [byte[]](8, 2, 0, 0, 0))
        $signature = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        [IO.File]::WriteAllBytes($Path, [byte[]]($signature + (Chunk 'IHDR' $ihdr) + (Chunk 'IDAT' $z.ToArray()) + (Chunk 'IEND' ([byte[]]@()))))
    }

    $texture = @{ Size = 64; Octaves = 2; Iterations = 1; Seed = 3 }
}

Describe 'Damaged and changing inputs' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'starry-night.jpg') $work
        New-CutCopy (Join-Path $examples 'cat.jpg') (Join-Path $work 'cut.jpg') 0.3
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'reports a truncated JPEG as ImageTruncated for a pyramid input, and goes on with the batch' {
        $levels = 'cut.jpg', 'wood-planks.jpg' | Get-StylePyramid -Octaves 2 -ErrorVariable err -ErrorAction SilentlyContinue
        ($levels.Source | Select-Object -Unique | Split-Path -Leaf) | Should -Be 'wood-planks.jpg'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageTruncated,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be (Join-Path $work 'cut.jpg')
        $err[0].Exception.Message | Should -BeLike "*$(Join-Path $work 'cut.jpg')*truncated*"
    }

    It 'reports a truncated JPEG as a texture source, a content and a style, and writes nothing for it' {
        New-NeuralTexture -Source cut.jpg @texture -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageTruncated,*'
        $err[0].TargetObject | Should -Be (Join-Path $work 'cut.jpg')

        New-StyleTransfer -Content cut.jpg -Style starry-night.jpg -MaxSize 64 -Octaves 1 -Iterations 1 -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageTruncated,*'
        $err[0].TargetObject | Should -Be (Join-Path $work 'cut.jpg')

        # As the style it stops the whole call before any work: every item would be styled with a black-filled image.
        $err = { 'cat.jpg', 'wood-planks.jpg' | New-StyleTransfer -Style cut.jpg -MaxSize 64 -Octaves 1 -Iterations 1 -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ImageTruncated,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -BeLike '*cut.jpg*truncated*'
        Get-ChildItem $work -Filter '*.png' | Should -BeNullOrEmpty
    }

    It 'refuses an 80-byte PNG claiming <Size>² quickly, before allocating it' -ForEach @{ Size = 4096 }, @{ Size = 8192 } {
        New-ClaimingPng (Join-Path $work 'claims.png') $Size
        (Get-Item claims.png).Length | Should -BeLessThan 120
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Get-StylePyramid claims.png -Octaves 2 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageSizeImplausible,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be (Join-Path $work 'claims.png')
        $err[0].Exception.Message | Should -BeLike "*claims $Size×$Size pixels*"
    }

    It 'goes on with the batch when a listed file disappears or is cut short before it is read' {
        Copy-Item cat.jpg a.jpg; Copy-Item cat.jpg b.jpg; Copy-Item cat.jpg c.jpg
        # Get-ChildItem plans the batch (a, b, c); after the first file is processed, b is deleted and c cut short.
        $planned = Get-ChildItem a.jpg, b.jpg, c.jpg
        $levels = $planned | ForEach-Object {
            $_
            if ($_.Name -eq 'a.jpg') { Remove-Item b.jpg; New-CutCopy (Join-Path $work 'cat.jpg') (Join-Path $work 'c.jpg') 0.5 }
        } | Get-StylePyramid -Octaves 2 -ErrorVariable err -ErrorAction SilentlyContinue
        ($levels.Source | Select-Object -Unique | Split-Path -Leaf) | Should -Be 'a.jpg'
        $err | Should -HaveCount 2
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -BeLike '*b.jpg'
        $err[1].FullyQualifiedErrorId | Should -BeLike 'ImageTruncated,*'
        $err[1].TargetObject | Should -Be (Join-Path $work 'c.jpg')
    }

    It 'goes on with a texture batch when a listed source is replaced by garbage before it is read' {
        Copy-Item wood-planks.jpg a.jpg; Copy-Item wood-planks.jpg b.jpg
        $planned = Get-ChildItem a.jpg, b.jpg
        $out = $planned | ForEach-Object {
            if ($_.Name -eq 'a.jpg') { [IO.File]::WriteAllBytes((Join-Path $work 'a.jpg'), [byte[]](1..200)) }
            $_
        } | New-NeuralTexture @texture -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        Split-Path $out.Path -Leaf | Should -Be 'b.texture.png'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidImage,*'
        $err[0].TargetObject | Should -Be (Join-Path $work 'a.jpg')
        Test-Path a.texture.png | Should -BeFalse
    }
}

Describe 'A full disk' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $disk = Join-Path $work 'disk'
        $null = New-Item -ItemType Directory $disk
        Copy-Item (Join-Path $examples 'fabric-morris.jpg') $work
        Push-Location $work
        $mounted = $false
        if (-not $IsWindows) {
            & mount -t tmpfs -o size=48k tmpfs $disk 2>$null
            $mounted = $LASTEXITCODE -eq 0
        }
    }
    AfterEach {
        Pop-Location
        if ($mounted) { & umount $disk }
    }

    It 'names the output that did not fit, not a temporary file, and leaves no partial file' {
        if (-not $mounted) { Set-ItResult -Skipped -Because 'a small tmpfs cannot be mounted here (needs Linux and root)'; return }
        # The first level (256×256, about 190 KB as PNG) does not fit in 48 KB.
        Get-StylePyramid fabric-morris.jpg -Octaves 2 -OutputDirectory $disk -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OutputWriteFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'WriteError'
        $err[0].TargetObject | Should -Be (Join-Path $disk 'fabric-morris.octave1.png')
        $err[0].Exception.Message | Should -BeLike "Cannot write '$(Join-Path $disk 'fabric-morris.octave1.png')': the disk is full*"
        $err[0].Exception.Message | Should -Not -BeLike '*.tmp*'
        Get-ChildItem $disk -Force | Should -BeNullOrEmpty
    }
}

Describe 'Model files' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'wood-planks.jpg') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'resolves a relative -ModelPath against the current location, not the process directory' {
        $models = New-Item -ItemType Directory (Join-Path $work 'models')
        Copy-Item $bundledOnnx (Join-Path $models 'mine.onnx')
        [Environment]::CurrentDirectory | Should -Not -Be $models.FullName
        Set-Location $models
        $records = New-NeuralTexture -Source ../wood-planks.jpg @texture -OutPath ../t.png -ModelPath ./mine.onnx -Verbose 4>&1
        $verbose = $records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        ($verbose -join "`n") | Should -BeLike "*user file '$(Join-Path $models 'mine.onnx')'*"
        ($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Model | Should -Be 'resnet18'
        Test-Path (Join-Path $work 't.png') | Should -BeTrue
    }

    It 'reports a corrupt <Name> as InvalidModelFile, terminating, naming the file' -ForEach @(
        @{ Name = 'mine.onnx' }, @{ Name = 'mine.pth' }, @{ Name = 'mine.safetensors' }
    ) {
        $bytes = [byte[]]::new(5000); [Random]::new(7).NextBytes($bytes)
        [IO.File]::WriteAllBytes((Join-Path $work $Name), $bytes)
        $model = Join-Path $work $Name
        $err = { 'wood-planks.jpg', 'wood-planks.jpg' | New-NeuralTexture @texture -Model $model -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $model
        $err.Exception.Message | Should -BeLike "*$(Join-Path $work $Name)*"
        Get-ChildItem $work -Filter '*.texture.png' | Should -BeNullOrEmpty
    }

    It 'reports a truncated copy of the bundled ONNX model as InvalidModelFile' {
        New-CutCopy $bundledOnnx (Join-Path $work 'cut.onnx') 0.5
        $err = { New-NeuralTexture -Source wood-planks.jpg @texture -Model (Join-Path $work 'cut.onnx') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -BeLike "*$(Join-Path $work 'cut.onnx')*"
    }
}
