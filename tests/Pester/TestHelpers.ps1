# The module loads ImageSharp in its own load context; the tests read images with the same library,
# loaded here into the session's default context (a second, independent copy).
Add-Type -LiteralPath (Join-Path $env:NEURALSTYLE_MODULE 'Dependencies/SixLabors.ImageSharp.dll')

# Shared by the Pester test files: the command that starts a fresh pwsh like the one running the tests. Under the
# dotnet tool (`dotnet pwsh`) that is the dotnet host with pwsh.dll: the apphost next to it finds the runtime only
# at the default location or through DOTNET_ROOT, and sshd starts its subsystem in a bare environment.
function Get-PwshLauncher {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

function Invoke-FreshPwsh([string] $Command) {
    $exe, $arguments = @(Get-PwshLauncher) + '-NoProfile', '-NonInteractive', '-Command', $Command
    & $exe @arguments
}

# A loopback port nothing listens on.
function Get-ClosedLoopbackPort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $port
}

# A folder this process cannot write to, even as root (chmod is not enough for root, chattr +i is).
function New-UnwritableDirectory([string] $Path) {
    $null = New-Item -ItemType Directory -Path $Path -Force
    if ($IsWindows) {
        $acl = Get-Acl $Path
        $rule = [System.Security.AccessControl.FileSystemAccessRule]::new([System.Security.Principal.WindowsIdentity]::GetCurrent().Name, 'Write', 'Deny')
        $acl.AddAccessRule($rule); Set-Acl $Path $acl
        return $Path
    }
    chmod 555 $Path
    if (Test-Writable $Path) { chattr +i $Path 2>$null }
    if (Test-Writable $Path) { return '/sys/neuralstyle-unwritable' }  # sysfs refuses new entries, even to root
    return $Path
}

function Remove-UnwritableDirectory([string] $Path) {
    if (-not $IsWindows -and (Test-Path $Path)) { chattr -i $Path 2>$null; chmod 755 $Path }
}

function Test-Writable([string] $Path) {
    $probe = Join-Path $Path ".probe-$([guid]::NewGuid())"
    # .NET calls, not Remove-Item: PowerShell refuses to delete inside a 555 folder even as root.
    try { [System.IO.File]::WriteAllText($probe, 'x'); [System.IO.File]::Delete($probe); return $true }
    catch { return $false }
}

# Mean squared difference across every vertical line of an RGB image: the wrap-around seam (last
# column to first) and each interior boundary; likewise for horizontal lines.
function Get-SeamEnergy([string] $Path) {
    $image = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgb24]($Path)
    try {
        $w = $image.Width; $h = $image.Height
        $px = [SixLabors.ImageSharp.PixelFormats.Rgb24[]]::new($w * $h)
        for ($y = 0; $y -lt $h; $y++) { for ($x = 0; $x -lt $w; $x++) { $px[$y * $w + $x] = $image[$x, $y] } }
        $energy = {
            param($a, $b)
            $d = [double]$a.R - $b.R; $e = [double]$a.G - $b.G; $f = [double]$a.B - $b.B
            $d * $d + $e * $e + $f * $f
        }
        $columns = foreach ($x in 0..($w - 1)) {
            $prev = ($x + $w - 1) % $w; $sum = 0.0
            foreach ($y in 0..($h - 1)) { $sum += & $energy $px[$y * $w + $x] $px[$y * $w + $prev] }
            $sum / $h
        }
        $rows = foreach ($y in 0..($h - 1)) {
            $prev = ($y + $h - 1) % $h; $sum = 0.0
            foreach ($x in 0..($w - 1)) { $sum += & $energy $px[$y * $w + $x] $px[$prev * $w + $x] }
            $sum / $w
        }
        [pscustomobject]@{
            ColumnSeam = $columns[0]; ColumnInterior = @($columns | Select-Object -Skip 1)
            RowSeam = $rows[0]; RowInterior = @($rows | Select-Object -Skip 1)
        }
    }
    finally { $image.Dispose() }
}

# How many standard deviations a seam's energy lies above the interior lines' mean.
function Get-SeamScore([double] $Seam, [double[]] $Interior) {
    $mean = ($Interior | Measure-Object -Average).Average
    $sd = [math]::Sqrt((($Interior | ForEach-Object { ($_ - $mean) * ($_ - $mean) }) | Measure-Object -Sum).Sum / ($Interior.Count - 1))
    ($Seam - $mean) / $sd
}

# Mean R, G, B (0..255) of an image file.
function Get-MeanColour([string] $Path) {
    $image = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgb24]($Path)
    try {
        $r = 0.0; $g = 0.0; $b = 0.0
        for ($y = 0; $y -lt $image.Height; $y++) { for ($x = 0; $x -lt $image.Width; $x++) { $p = $image[$x, $y]; $r += $p.R; $g += $p.G; $b += $p.B } }
        $n = $image.Width * $image.Height
        [pscustomobject]@{ R = $r / $n; G = $g / $n; B = $b / $n }
    }
    finally { $image.Dispose() }
}

function Get-ColourDistance($A, $B) { [math]::Sqrt(($A.R - $B.R) * ($A.R - $B.R) + ($A.G - $B.G) * ($A.G - $B.G) + ($A.B - $B.B) * ($A.B - $B.B)) }

# The largest difference of any channel of any pixel between two images of the same size, in 0..255 levels.
function Get-LargestPixelDifference([string] $A, [string] $B) {
    $x = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgb24]($A)
    $y = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgb24]($B)
    try {
        if ($x.Width -ne $y.Width -or $x.Height -ne $y.Height) { throw "Sizes differ: $A, $B" }
        $largest = 0
        for ($row = 0; $row -lt $x.Height; $row++) {
            for ($column = 0; $column -lt $x.Width; $column++) {
                $p = $x[$column, $row]; $q = $y[$column, $row]
                $largest = [math]::Max($largest, [math]::Max([math]::Abs($p.R - $q.R), [math]::Max([math]::Abs($p.G - $q.G), [math]::Abs($p.B - $q.B))))
            }
        }
        $largest
    }
    finally { $x.Dispose(); $y.Dispose() }
}
