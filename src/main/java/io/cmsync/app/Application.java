package io.cmsync.app; public class Application { public static void main(String[] a){} }
