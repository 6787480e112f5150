BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
    $texture = @{ Size = 64; Octaves = 1; Iterations = 2; Seed = 3 }
    $transfer = @{ MaxSize = 64; Octaves = 1; Iterations = 2; Seed = 3 }

    # An RGB PNG of the given size, every pixel one colour.
    function New-Png([string] $Path, [int] $Width, [int] $Height, [byte] $Grey = 128) {
        $image = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgb24]]::new($Width, $Height, [SixLabors.ImageSharp.PixelFormats.Rgb24]::new($Grey, $Grey, $Grey))
        try { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, $Path) } finally { $image.Dispose() }
    }

    function Get-BigEndian([uint32] $Value) { $b = [BitConverter]::GetBytes($Value); [Array]::Reverse($b); , $b }

    # A real 64×64 PNG whose header is rewritten to claim Width×Height (CRC fixed): a decompression bomb's header.
    function New-HugeHeaderPng([string] $Path, [int] $Width, [int] $Height) {
        New-Png $Path 64 64
        $bytes = [IO.File]::ReadAllBytes($Path)
        [Array]::Copy((Get-BigEndian $Width), 0, $bytes, 16, 4)
        [Array]::Copy((Get-BigEndian $Height), 0, $bytes, 20, 4)
        # CRC-32 of the chunk type and data; long arithmetic, as PowerShell's hex literals are signed.
        [long] $crc = 4294967295
        foreach ($b in $bytes[12..28]) {
            $crc = $crc -bxor $b
            for ($k = 0; $k -lt 8; $k++) { $crc = ($crc -band 1) ? (($crc -shr 1) -bxor 3988292384) : ($crc -shr 1) }
        }
        $crc = $crc -bxor 4294967295
        [Array]::Copy((Get-BigEndian $crc), 0, $bytes, 29, 4)
        [IO.File]::WriteAllBytes($Path, $bytes)
    }
}

# Issue #11: output problems found before the work (4), checkpoints that never take a file (1), one
# validation path for every input image (5), call-wide bad arguments as terminating errors (7).
Describe 'Synthesis inputs and outputs' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'starry-night.jpg') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'refuses an unknown output extension before any work, naming the output (<Command>)' -ForEach @(
        @{ Command = 'New-NeuralTexture' }, @{ Command = 'New-StyleTransfer' }
    ) {
        $run = if ($Command -eq 'New-NeuralTexture') { { New-NeuralTexture -Source wood-planks.jpg @texture -OutPath x.gif -CheckpointEvery 1 -ErrorVariable err -ErrorAction SilentlyContinue } }
        else { { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @transfer -OutPath x.gif -CheckpointEvery 1 -ErrorVariable err -ErrorAction SilentlyContinue } }
        . $run | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedOutputFormat,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be (Join-Path $work 'x.gif')
        # Not one step ran: a checkpoint would have been written after the first.
        Get-ChildItem $work -Force | Where-Object Name -like 'x*' | Should -BeNullOrEmpty
    }

    It 'refuses -OutPath naming a folder and -OutputDirectory naming a file, before any work' {
        $null = New-Item -ItemType Directory 'folder.png'
        New-NeuralTexture -Source wood-planks.jpg @texture -OutPath folder.png -CheckpointEvery 1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OutputIsDirectory,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be (Join-Path $work 'folder.png')
        Get-ChildItem folder.png -Force | Should -BeNullOrEmpty

        New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @transfer -OutputDirectory wood-planks.jpg -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'OutputDirectoryIsFile,*'
        $err2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err2[0].TargetObject | Should -Be (Join-Path $work 'wood-planks.jpg' 'cat.starry-night.png')
    }

    It 'refuses a folder it cannot write to before any work, naming the output' {
        $locked = New-UnwritableDirectory (Join-Path $work 'locked')
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            New-NeuralTexture -Source wood-planks.jpg -Size 128 -Octaves 1 -Iterations 300 -Seed 1 -OutputDirectory $locked -ErrorVariable err -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].TargetObject | Should -Be (Join-Path $locked 'wood-planks.texture.png')
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 20  # 300 steps at 128 px take minutes
        }
        finally { Remove-UnwritableDirectory $locked }
    }

    It 'never replaces or deletes a file named like its checkpoint, not even the source' {
        Copy-Item wood-planks.jpg photo.checkpoint.png
        $before = (Get-FileHash photo.checkpoint.png).Hash
        $result = New-NeuralTexture -Source photo.checkpoint.png @texture -OutPath photo.png -CheckpointEvery 1
        $result.Path | Should -Be (Join-Path $work 'photo.png')
        (Get-FileHash photo.checkpoint.png).Hash | Should -Be $before
        # Its own checkpoint took the first free name and was removed when the output was complete.
        Get-ChildItem $work -Filter 'photo.checkpoint.*' | ForEach-Object Name | Should -Be 'photo.checkpoint.png'
    }

    It 'refuses a 1×1 style before any content, with the style as target and the role in the message' {
        New-Png (Join-Path $work 'dot.png') 1 1
        $err = { 'cat.jpg' | New-StyleTransfer -Style dot.png @transfer -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be (Join-Path $work 'dot.png')
        $err.ToString() | Should -BeLike 'Style image:*1×1*'
        Get-ChildItem $work -Filter 'cat.dot.*' | Should -BeNullOrEmpty
    }

    It 'stops on a style whose header claims 100000², with the style as target' {
        New-HugeHeaderPng (Join-Path $work 'bomb.png') 100000 100000
        $err = { New-StyleTransfer -Content cat.jpg -Style bomb.png @transfer -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        # The decoder's guard (a few KB cannot hold 100000² pixels) or the pixel limit: either way the whole call stops, naming the style.
        $err.FullyQualifiedErrorId | Should -Match '^(ImageSizeImplausible|ImageTooLarge),'
        $err.CategoryInfo.Category | Should -BeIn 'InvalidData', 'LimitsExceeded'
        $err.TargetObject | Should -Be (Join-Path $work 'bomb.png')
        $err.ToString() | Should -BeLike 'Style image:*'
        Get-ChildItem $work -Filter 'cat.bomb.*' | Should -BeNullOrEmpty
    }

    It 'names the content, not the style, when the content is too small' {
        New-Png (Join-Path $work 'tiny.png') 1 1
        New-StyleTransfer -Content tiny.png -Style starry-night.jpg @transfer -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].TargetObject | Should -Be (Join-Path $work 'tiny.png')
        $err[0].ToString() | Should -BeLike "Content image: '$(Join-Path $work 'tiny.png')' is 1×1*"
        $err[0].ToString() | Should -Not -BeLike '*starry-night*'
    }

    It 'takes a style named with brackets as it is, and offers -LiteralStyle' {
        New-Png (Join-Path $work 'my photo [1].png') 64 64 200
        New-Png (Join-Path $work 'my photo 1.png') 64 64 20
        $r = New-StyleTransfer -Content cat.jpg -Style 'my photo [1].png' @transfer -OutputDirectory a
        $r.Styles | Should -Be (Join-Path $work 'my photo [1].png')
        $l = New-StyleTransfer -Content cat.jpg -LiteralStyle 'my photo [1].png' @transfer -OutputDirectory b
        $l.Styles | Should -Be (Join-Path $work 'my photo [1].png')
        # A real wildcard still expands.
        (New-StyleTransfer -Content cat.jpg -Style 'starry-*.jpg' @transfer -OutputDirectory c).Styles | Should -Be (Join-Path $work 'starry-night.jpg')
    }

    It 'stops the call for -SourceWeight that does not fit the sources, and for -TileSize with sliced Wasserstein' {
        $err = { New-NeuralTexture -Source wood-planks.jpg @texture -SourceWeight 1, 2 -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.FullyQualifiedErrorId | Should -BeLike 'SourceWeightCountMismatch,*'
        $err = { New-NeuralTexture -Source wood-planks.jpg @texture -StyleLoss SlicedWasserstein -TileSize 64 -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*-TileSize needs the Gram style loss*'
        Get-ChildItem $work -Filter '*.texture.png' | Should -BeNullOrEmpty
    }

    It 'takes -Init as an enum on both cmdlets, with -InitImage, and -OutPath for one content' {
        $r = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @transfer -InitImage wood-planks.jpg -OutPath styled.jpg
        $r.Path | Should -Be (Join-Path $work 'styled.jpg')
        [SixLabors.ImageSharp.Image]::Identify($r.Path).Metadata.DecodedImageFormat.Name | Should -Be 'JPEG'
        { New-NeuralTexture -Source wood-planks.jpg @texture -Init Content -ErrorAction Stop } | Should -Throw '*-Init Content needs a content image*'
        { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @transfer -Init Bogus -ErrorAction Stop } | Should -Throw '*Bogus*'
        $err = { 'cat.jpg', 'cat.jpg' | New-StyleTransfer -Style starry-night.jpg @transfer -OutPath one.png -Force -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.FullyQualifiedErrorId | Should -BeLike 'OutPathForSeveralItems,*'
        # The user's conflicting or missing parameters each have an id that names the failure.
        $err = { New-StyleTransfer -Content cat.jpg @transfer -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StyleMissing,*'
        $err = { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg -LiteralStyle starry-night.jpg @transfer -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StyleWithLiteralStyle,*'
        $err = { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg -StyleWeight 1, 2 @transfer -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StyleWeightCountMismatch,*'
        $err = { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @transfer -Force -SkipExisting -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ForceWithSkipExisting,*'
    }
}
